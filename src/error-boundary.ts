import { randomBytes } from "node:crypto";
import { InlineKeyboard, type BotError } from "grammy";
import type { BotContext } from "./context";
import { describeError, isTelegramError, telegramDescription } from "./errors";
import { emergencyPanel } from "./features/directory/format";
import type { Logger } from "./logger";
import { cb } from "./ui/callback-data";
import { withExit } from "./ui/screen";

/**
 * The error boundary around the features: the person gets a short apology with
 * an error code and the help numbers; the log gets the code and the error's
 * kind. Nothing escapes to stop the bot.
 */
export function errorBoundaryHandler(log: Logger) {
  return async (err: BotError<BotContext>): Promise<void> => {
    try {
      await handle(err);
    } catch (error) {
      // The boundary must never throw: that would stop the chat's queue.
      log.error({ event: "error_boundary_failed", error: describeError(error) });
    }
  };

  async function handle(err: BotError<BotContext>): Promise<void> {
    const ctx = err.ctx;
    const error = describeError(err.error);
    ctx.deps.metrics.errors.inc({ kind: String(error.error_code ?? error.kind) });
    if (isTelegramError(err.error, 403) && ctx.chat?.type === "private" && err.error.payload?.chat_id === ctx.chat.id) {
      // The person blocked the bot: nothing can reach them, and nothing of theirs should wait for a TTL.
      // (A 403 from another chat, e.g. an operators' group, is an ordinary error.)
      log.info({ event: "blocked_by_person", chat: ctx.pseudonym });
      await ctx.deps.handoff?.closeFor(ctx.pseudonym, "blocked");
      ctx.forget();
      return;
    }
    if (isTelegramError(err.error, 400) && /too old|not found|not modified|can't be edited/i.test(telegramDescription(err.error))) {
      // A stale message or button: nothing the person needs to hear about.
      log.info({ event: "stale_message", method: err.error.method, chat: ctx.pseudonym });
      return;
    }
    const code = randomBytes(3).toString("hex");
    log.error({ event: "handler_error", code, chat: ctx.pseudonym, error });
    if (ctx.chat?.type !== "private") return;
    try {
      const keyboard = new InlineKeyboard().text(ctx.t("button.help"), cb("dir")).text(ctx.t("button.menu"), cb("menu"));
      await ctx.reply(emergencyPanel(ctx, "danger", ctx.t("error.apology", { code })), {
        parse_mode: "HTML",
        reply_markup: withExit(ctx, keyboard),
      });
    } catch (error) {
      log.error({ event: "error_reply_failed", code, error: describeError(error) });
    }
  }
}
