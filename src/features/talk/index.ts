import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context";
import { cb } from "../../ui/callback-data";
import { menuButton, show } from "../../ui/screen";
import { emergencyPanel } from "../directory/format";

/**
 * "Talk to a person". Until the operator handoff exists, this says so plainly
 * and shows the lines where trained people answer: never a dead end.
 */
export const talk = new Composer<BotContext>();
talk.callbackQuery(cb("talk"), async (ctx) => {
  const keyboard = new InlineKeyboard().text(ctx.t("button.help"), cb("dir")).row();
  await show(ctx, `${ctx.t("talk.not_yet")}\n\n${emergencyPanel(ctx)}`, menuButton(ctx, keyboard));
});
