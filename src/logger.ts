import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * JSON logs with event names, pseudonyms and error codes only. Nothing here may
 * ever receive ctx.update, ctx.from, a chat id or a message text; the redact
 * list is a second fence in case a future change forgets that.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ["update", "from", "chat", "text", "caption", "payload", "*.from", "*.chat", "*.text", "*.payload"],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
