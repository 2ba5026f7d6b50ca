import { Composer, InlineKeyboard } from "grammy";
import { PURPOSES, type Purpose } from "../../content/directory";
import type { BotContext } from "../../context";
import { COUNTRY_CODES, type CountryCode } from "../../store/session";
import { cb } from "../../ui/callback-data";
import { SCREEN_LIMIT } from "../../ui/pages";
import { menuButton, send, show } from "../../ui/screen";
import { helpLines } from "../directory/format";
import { countryPicker } from "../directory";

/**
 * The help panel: the numbers for a purpose (danger now, sexual violence,
 * self-harm) in the person's country, after an optional first line. When the
 * person has not said where they are, the country buttons come with it, and a
 * press shows the same panel for that country.
 */
export function helpPanel(ctx: BotContext, purpose: Purpose, lead?: string): { text: string; keyboard: InlineKeyboard } {
  const room = SCREEN_LIMIT - (lead ? lead.length + 2 : 0);
  const text = [lead, ...helpLines(ctx, { purpose, withCountryButtons: !ctx.session.country, room })].filter(Boolean).join("\n\n");
  const keyboard = ctx.session.country ? new InlineKeyboard() : countryPicker(ctx, ["help", purpose]);
  keyboard.text(ctx.t("button.help"), cb("dir")).row();
  return { text, keyboard: menuButton(ctx, keyboard) };
}

/** Sends the panel as a message of its own, so it stays in the chat above whatever comes next. */
export async function sendHelpPanel(ctx: BotContext, purpose: Purpose = "danger", lead?: string): Promise<void> {
  const { text, keyboard } = helpPanel(ctx, purpose, lead);
  await send(ctx, text, keyboard);
}

export const help = new Composer<BotContext>();
help.command("help", async (ctx) => {
  await sendHelpPanel(ctx);
  await send(ctx, ctx.t("help.text"), menuButton(ctx));
});

/** A country chosen on a panel: the same panel, for that country. */
help.callbackQuery(new RegExp(`^v1:help:(${PURPOSES.join("|")}):(${COUNTRY_CODES.join("|")})$`), async (ctx) => {
  ctx.session.country = ctx.match[2] as CountryCode;
  const { text, keyboard } = helpPanel(ctx, ctx.match[1] as Purpose);
  await show(ctx, text, keyboard);
});
