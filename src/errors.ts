import { GrammyError, HttpError } from "grammy";

/** Telegram's error description, or "" when the Bot API sent none (self-hosted and emulated servers may not). */
export function telegramDescription(error: GrammyError): string {
  return typeof error.description === "string" ? error.description : "";
}

/** A Telegram error with this code (any code when none is given). */
export function isTelegramError(error: unknown, code?: number): error is GrammyError {
  return error instanceof GrammyError && (code === undefined || error.error_code === code);
}

/**
 * What may be logged about an error: its kind and Telegram's error code and
 * method. Never the update, the payload or a message text. Survives any shape
 * of error: missing fields, a thrown string or object, null.
 */
export function describeError(error: unknown): Record<string, unknown> {
  try {
    if (error instanceof GrammyError) {
      return { kind: "telegram", method: String(error.method), error_code: Number(error.error_code) || undefined, description: telegramDescription(error).slice(0, 120) || undefined };
    }
    if (error instanceof HttpError) return { kind: "network", name: error.name };
    if (error instanceof Error) {
      // Quoted parts of a message can echo input (JSON.parse quotes what it failed on): never log them.
      const message = typeof error.message === "string" ? error.message.replace(/(["'`]).*?\1/g, "$1…$1").slice(0, 200) : undefined;
      return { kind: "code", name: String(error.name), message };
    }
    // A thrown string or object may carry anything, a person's text included: only its type is logged.
    return { kind: "unknown", type: error === null ? "null" : typeof error };
  } catch {
    return { kind: "unknown" };
  }
}
