import { Composer } from "grammy";
import type { BotContext } from "../../context";
import { when } from "../../routing";
import { notice } from "../../ui/screen";
import { showMenu } from "../menu";
import { showLanguagePicker } from "../start";

/** Longer than any sensible message to a button-driven bot. */
const VERY_LONG = 2000;

/**
 * Everything no feature took: a short, localized answer saying what the bot
 * can do, with the menu. Must be installed last.
 */
export const fallback = new Composer<BotContext>();

// Not knowing the person's language (e.g. after /delete), ask for it before anything else.
fallback.use(when((ctx) => !ctx.langKnown && Boolean(ctx.message ?? ctx.editedMessage), showLanguagePicker));

fallback.on("callback_query", async (ctx) => {
  // A button from an old message, or data we never produced.
  await notice(ctx, ctx.t("fallback.stale_button"));
  await showMenu(ctx);
});

fallback.on("edited_message", (ctx) => showMenu(ctx, ctx.t("fallback.edited")));

fallback.on("message:text", async (ctx) => {
  const text = ctx.msg.text;
  if (text.startsWith("/")) return showMenu(ctx, ctx.t("fallback.unknown_command"));
  if (text.length > VERY_LONG) return showMenu(ctx, ctx.t("fallback.too_long"));
  await showMenu(ctx, ctx.t("fallback.what_i_can_do"));
});

fallback.on("message", (ctx) => showMenu(ctx, ctx.t("fallback.media")));
