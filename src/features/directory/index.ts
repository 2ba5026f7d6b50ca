import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context";
import { COUNTRY_CODES, type CountryCode } from "../../store/session";
import { cb } from "../../ui/callback-data";
import { paginate } from "../../ui/pages";
import { menuButton, show } from "../../ui/screen";
import { countryBlocks } from "./format";

/** One button per country, three to a row; `route` is the feature and action a press goes to. */
export function countryPicker(ctx: BotContext, route: string[] = ["dir"]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  COUNTRY_CODES.forEach((code, i) => {
    keyboard.text(ctx.t(`country.${code}`), cb(...route, code));
    if (i % 3 === 2) keyboard.row();
  });
  return keyboard.row();
}

/** A country's page `page` (1-based): every line there, as many to a page as fit a phone. */
export async function showCountry(ctx: BotContext, code: CountryCode, page = 1): Promise<void> {
  ctx.session.country = code;
  const pages = paginate([[...countryBlocks(ctx, code), ctx.t("directory.footer")]]);
  const n = Math.min(Math.max(page, 1), pages.length);
  const keyboard = new InlineKeyboard();
  if (n > 1) keyboard.text(ctx.t("button.back"), cb("dir", code, n - 1));
  if (n < pages.length) keyboard.text(ctx.t("button.next"), cb("dir", code, n + 1));
  keyboard.row().text(ctx.t("directory.other_country"), cb("dir", "pick")).row();
  const counter = pages.length > 1 ? `\n\n<i>${ctx.t("topics.page", { n, total: pages.length })}</i>` : "";
  await show(ctx, `${pages[n - 1]}${counter}`, menuButton(ctx, keyboard));
}

export const directory = new Composer<BotContext>();

const choose = (ctx: BotContext) => show(ctx, ctx.t("directory.choose_country"), menuButton(ctx, countryPicker(ctx)));

/** "Get help now": straight to the person's country when we know it. */
directory.callbackQuery(cb("dir"), (ctx) => (ctx.session.country ? showCountry(ctx, ctx.session.country) : choose(ctx)));
directory.callbackQuery(cb("dir", "pick"), choose);
directory.callbackQuery(new RegExp(`^v1:dir:(${COUNTRY_CODES.join("|")})(?::([1-9]))?$`), (ctx) =>
  showCountry(ctx, ctx.match[1] as CountryCode, Number(ctx.match[2] ?? 1)),
);
