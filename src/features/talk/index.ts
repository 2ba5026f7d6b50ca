import { Composer } from "grammy";
import type { BotContext } from "../../context";
import { show } from "../../ui/screen";
import { helpPanel } from "../help";

/**
 * "Talk to a person" without an operators' group: it says so plainly and
 * shows the lines that can help, each with who runs it: never a dead end.
 */
export const talk = new Composer<BotContext>();
talk.callbackQuery("v1:talk", async (ctx) => {
  const { text, keyboard } = helpPanel(ctx, "trafficking", ctx.t("talk.not_yet"));
  await show(ctx, text, keyboard);
});
