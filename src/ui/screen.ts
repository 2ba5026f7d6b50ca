import { InlineKeyboard } from "grammy";
import type { BotContext } from "../context";
import { isTelegramError, telegramDescription } from "../errors";
import type { TFunction } from "../i18n";
import { cb } from "./callback-data";

/** Every screen ends with a quick exit: the person can always leave at once. */
export function withExit(ctx: BotContext, keyboard = new InlineKeyboard()): InlineKeyboard {
  return withExitIn(ctx.t, keyboard);
}

/** The same, in a given language: for messages sent outside the person's own update (a hotline worker's). */
export function withExitIn(t: TFunction, keyboard = new InlineKeyboard()): InlineKeyboard {
  const copy = InlineKeyboard.from(keyboard.inline_keyboard.filter((row) => row.length > 0));
  return copy.row().text(t("button.quick_exit"), cb("exit"));
}

export function menuButton(ctx: BotContext, keyboard = new InlineKeyboard()): InlineKeyboard {
  return keyboard.text(ctx.t("button.menu"), cb("menu"));
}

const sendOptions = (keyboard: InlineKeyboard) => ({
  parse_mode: "HTML" as const,
  reply_markup: keyboard,
  link_preview_options: { is_disabled: true },
});

/**
 * Shows a screen: a button press replaces the message it came from (the chat
 * stays short and quick exit has less to delete); anything else sends a new one.
 */
export async function show(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  const markup = withExit(ctx, keyboard);
  if (ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(text, sendOptions(markup));
      return;
    } catch (error) {
      if (!isTelegramError(error, 400)) throw error;
      if (telegramDescription(error).includes("message is not modified")) return;
      // The message is too old or gone: fall through and send a fresh one.
    }
  }
  await ctx.reply(text, sendOptions(markup));
}

/** A message that stays in the chat (e.g. a "save this" note or an emergency panel). */
export async function send(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  await ctx.reply(text, sendOptions(withExit(ctx, keyboard)));
}

/** A short notice on the button itself (toast). */
export async function notice(ctx: BotContext, text: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery || ctx.callbackAnswered) return;
  ctx.callbackAnswered = true;
  await ctx.answerCallbackQuery({ text, show_alert: alert }).catch(() => undefined);
}
