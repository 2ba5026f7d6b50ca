import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context";
import { describeError } from "../../errors";
import { when } from "../../routing";
import { cb } from "../../ui/callback-data";
import { menuButton, send, show } from "../../ui/screen";
import { countStop } from "../screening";

/** Telegram deletes at most 100 messages per call. */
const DELETE_BATCH = 100;

/** Ends the person's case, erases everything kept for this chat (session, message ids), and counts it. */
async function eraseState(ctx: BotContext, counter: "quick_exit" | "delete"): Promise<void> {
  countStop(ctx, "exit");
  await ctx.deps.handoff?.closeFor(ctx.pseudonym, "exit");
  await ctx.deps.messages.forget(ctx.pseudonym);
  ctx.forget();
  ctx.deps.counters.bump(counter);
}

/**
 * Quick exit: delete every message of this conversation we know of (a bot may
 * delete both sides of a private chat for 48 hours; a hotline worker's
 * messages included), erase all state, and leave at most one neutral line.
 * Works even when the store is down: then it deletes what it can see (the
 * message or button just used).
 */
export async function quickExit(ctx: BotContext): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return;
  if (ctx.callbackQuery) {
    ctx.callbackAnswered = true;
    await ctx.answerCallbackQuery().catch(() => undefined);
  }
  const ids = new Set(await ctx.deps.messages.all(ctx));
  if (ctx.msg?.message_id) ids.add(ctx.msg.message_id);
  const all = [...ids].sort((a, b) => a - b);
  for (let i = 0; i < all.length; i += DELETE_BATCH) {
    await ctx.api.deleteMessages(chatId, all.slice(i, i + DELETE_BATCH)).catch((error: unknown) => {
      ctx.deps.log.warn({ event: "quick_exit_delete_failed", chat: ctx.pseudonym, error: describeError(error) });
    });
  }
  await eraseState(ctx, "quick_exit");
  if (ctx.deps.settings.quickExitLine) await ctx.api.sendMessage(chatId, ctx.t("exit.neutral"));
}

/** /delete: the person chooses whether the messages go too, told plainly what each choice leaves. */
async function askWhatToDelete(ctx: BotContext): Promise<void> {
  const keyboard = new InlineKeyboard()
    .text(ctx.t("delete.all"), cb("del", "all")).row()
    .text(ctx.t("delete.state_only"), cb("del", "state")).row();
  await show(ctx, ctx.t("delete.ask"), menuButton(ctx, keyboard));
}

/** Erases the state only: the message ids go with it, so the messages can no longer be deleted by the bot. */
async function deleteStateOnly(ctx: BotContext): Promise<void> {
  await eraseState(ctx, "delete");
  await send(ctx, ctx.t("delete.done_state"), menuButton(ctx));
}

/** This feature's commands; the cheap test below is built from the same list, so none can be left out of it. */
const COMMANDS = { exit: quickExit, delete: askWhatToDelete };
const COMMAND = new RegExp(`^/(${Object.keys(COMMANDS).join("|")})\\b`);
const BUTTONS = new Set([cb("exit"), cb("del", "all"), cb("del", "state")]);

const handlers = new Composer<BotContext>();
// One cheap test decides whether an update is for this feature at all, so
// every other update passes one test here instead of several.
export const safety = when<BotContext>(
  (ctx) => BUTTONS.has(ctx.callbackQuery?.data ?? "") || ctx.myChatMember !== undefined || COMMAND.test(ctx.message?.text ?? ""),
  handlers,
);

for (const [command, handler] of Object.entries(COMMANDS)) handlers.command(command, handler);
handlers.callbackQuery([cb("exit"), cb("del", "all")], quickExit);
handlers.callbackQuery(cb("del", "state"), deleteStateOnly);

/** The person blocked the bot: nothing of theirs should wait for a TTL. */
handlers.on("my_chat_member", async (ctx) => {
  const status = ctx.myChatMember.new_chat_member.status;
  if (status !== "kicked" && status !== "left") return;
  await ctx.deps.handoff?.closeFor(ctx.pseudonym, "blocked");
  await ctx.deps.messages.forget(ctx.pseudonym);
  ctx.forget();
});
