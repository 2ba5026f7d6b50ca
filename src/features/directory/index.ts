import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context";
import { COUNTRY_CODES, type CountryCode } from "../../store/session";
import { cb } from "../../ui/callback-data";
import { menuButton, show } from "../../ui/screen";
import { countryPage } from "./format";

export function countryPicker(ctx: BotContext, route = "dir"): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  COUNTRY_CODES.forEach((code, i) => {
    keyboard.text(ctx.t(`country.${code}`), cb(route, code));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard.row();
}

export async function showCountry(ctx: BotContext, code: CountryCode): Promise<void> {
  ctx.session.country = code;
  const keyboard = new InlineKeyboard().text(ctx.t("button.back"), cb("dir", "pick"));
  await show(ctx, countryPage(ctx, code), menuButton(ctx, keyboard));
}

export const directory = new Composer<BotContext>();

/** "Get help now": straight to the person's country when we know it. */
directory.callbackQuery(cb("dir"), async (ctx) => {
  const known = ctx.session.country;
  if (known) return showCountry(ctx, known);
  await show(ctx, ctx.t("directory.choose_country"), menuButton(ctx, countryPicker(ctx)));
});
directory.callbackQuery(cb("dir", "pick"), (ctx) =>
  show(ctx, ctx.t("directory.choose_country"), menuButton(ctx, countryPicker(ctx))),
);
directory.callbackQuery(new RegExp(`^v1:dir:(${COUNTRY_CODES.join("|")})$`), (ctx) =>
  showCountry(ctx, ctx.match[1] as CountryCode),
);
