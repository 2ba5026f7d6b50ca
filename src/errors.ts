import { randomBytes } from "node:crypto";
import { BotError, GrammyError, HttpError, InlineKeyboard } from "grammy";
import type { BotContext } from "./context";
import type { Logger } from "./logger";
import { emergencyPanel } from "./features/directory/format";
import { cb } from "./ui/callback-data";
import { withExit } from "./ui/screen";

/**
 * What may be logged about an error: its kind and Telegram's error code and
 * method. Never the update, the payload or a message text.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError) return { kind: "telegram", method: error.method, error_code: error.error_code, description: error.description.slice(0, 120) };
  if (error instanceof HttpError) return { kind: "network", name: error.name };
  // Quoted parts of a message can echo input (JSON.parse quotes what it failed on): never log them.
  if (error instanceof Error) return { kind: "code", name: error.name, message: error.message.replace(/(["'`]).*?\1/g, "$1…$1").slice(0, 200) };
  return { kind: "unknown" };
}

/**
 * The error boundary around the features: the person gets a short apology with
 * an error code and the help numbers; the log gets the code and the error's
 * kind. Nothing escapes to stop the bot.
 */
export function errorBoundaryHandler(log: Logger) {
  return async (err: BotError<BotContext>): Promise<void> => {
    const ctx = err.ctx;
    const error = describeError(err.error);
    ctx.deps.metrics.errors.inc({ kind: String(error.error_code ?? error.kind) });
    if (err.error instanceof GrammyError && err.error.error_code === 403 && ctx.chat?.type === "private" && err.error.payload.chat_id === ctx.chat.id) {
      // The person blocked the bot: nothing can reach them, and nothing of theirs should wait for a TTL.
      // (A 403 from another chat, e.g. an operators' group, is an ordinary error.)
      log.info({ event: "blocked_by_person", chat: ctx.pseudonym });
      await ctx.deps.handoff?.closeFor(ctx.pseudonym, "blocked");
      ctx.forget();
      return;
    }
    if (err.error instanceof GrammyError && err.error.error_code === 400 && /too old|not found|not modified|can't be edited/i.test(err.error.description)) {
      // A stale message or button: nothing the person needs to hear about.
      log.info({ event: "stale_message", method: err.error.method, chat: ctx.pseudonym });
      return;
    }
    const code = randomBytes(3).toString("hex");
    log.error({ event: "handler_error", code, chat: ctx.pseudonym, error });
    if (ctx.chat?.type !== "private") return;
    try {
      const keyboard = new InlineKeyboard().text(ctx.t("button.help"), cb("dir")).text(ctx.t("button.menu"), cb("menu"));
      await ctx.reply(`${ctx.t("error.apology", { code })}\n\n${emergencyPanel(ctx)}`, {
        parse_mode: "HTML",
        reply_markup: withExit(ctx, keyboard),
      });
    } catch (error) {
      log.error({ event: "error_reply_failed", code, error: describeError(error) });
    }
  };
}
