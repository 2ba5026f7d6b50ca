import { Composer, InlineKeyboard } from "grammy";
import { parseStartPayload } from "../../content/campaigns";
import type { BotContext } from "../../context";
import { LANGUAGES, NATIVE_NAMES, isLang, type Lang } from "../../i18n/languages";
import { cb } from "../../ui/callback-data";
import { show } from "../../ui/screen";
import { showMenu } from "../menu";

export function setLanguage(ctx: BotContext, lang: Lang): void {
  ctx.session.lang = lang;
  ctx.lang = lang;
  ctx.langKnown = true;
  ctx.t = ctx.deps.i18n.getFixedT(lang);
}

/** The picker: each language named in itself, and the prompt in all six. */
export async function showLanguagePicker(ctx: BotContext): Promise<void> {
  const prompt = LANGUAGES.map((l) => ctx.deps.i18n.getFixedT(l)("language.choose")).join("\n");
  const keyboard = new InlineKeyboard();
  LANGUAGES.forEach((l, i) => {
    keyboard.text(NATIVE_NAMES[l], cb("lang", l));
    if (i % 2 === 1) keyboard.row();
  });
  // Changing the language later: a way back without choosing.
  if (ctx.langKnown) keyboard.text(ctx.t("button.menu"), cb("menu"));
  await show(ctx, `🌐 ${prompt}`, keyboard);
}

export const start = new Composer<BotContext>();

start.command("start", async (ctx) => {
  // The payload comes from a link anyone can craft: parse it, never echo it.
  const { campaign, lang } = parseStartPayload(ctx.match, ctx.deps.content.campaigns);
  if (lang) setLanguage(ctx, lang);
  if (campaign) ctx.session.campaign = campaign;
  ctx.deps.counters.bump("start", { campaign: campaign ?? "none", lang: ctx.langKnown ? ctx.lang : "unknown" });
  if (!ctx.langKnown) return showLanguagePicker(ctx);
  await showMenu(ctx, ctx.t("welcome"));
});

start.command("language", (ctx) => showLanguagePicker(ctx));
start.callbackQuery(cb("lang"), (ctx) => showLanguagePicker(ctx));

start.callbackQuery(new RegExp(`^v1:lang:(${LANGUAGES.join("|")})$`), async (ctx) => {
  const lang = ctx.match[1];
  if (!isLang(lang)) return;
  const first = !ctx.langKnown;
  setLanguage(ctx, lang);
  ctx.deps.counters.bump("language_chosen", { lang });
  await showMenu(ctx, first ? ctx.t("welcome") : ctx.t("language.changed"));
});
