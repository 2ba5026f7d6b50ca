import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context";
import { cb } from "../../ui/callback-data";
import { show } from "../../ui/screen";

/** The main menu's buttons; "check" becomes "continue" while a paused check waits. */
export function menuKeyboard(ctx: BotContext): InlineKeyboard {
  const checkButton = ctx.session.screening
    ? ctx.t("button.continue_check")
    : ctx.t("button.check");
  return new InlineKeyboard()
    .text(ctx.t("button.topics"), cb("topics")).row()
    .text(checkButton, cb("scr", "open")).row()
    .text(ctx.t("button.help"), cb("dir")).row()
    .text(ctx.t("button.talk"), cb("talk")).row()
    .text(ctx.t("button.language"), cb("lang"));
}

export async function showMenu(ctx: BotContext, lead?: string): Promise<void> {
  const text = lead ? `${lead}\n\n${ctx.t("menu.title")}` : ctx.t("menu.title");
  await show(ctx, text, menuKeyboard(ctx));
}

export const menu = new Composer<BotContext>();
menu.command("menu", (ctx) => showMenu(ctx));
menu.callbackQuery(cb("menu"), (ctx) => showMenu(ctx));
