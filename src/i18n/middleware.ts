import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context";
import { fromTelegramCode } from "./languages";

/** Language: the person's choice ▸ Telegram's language_code ▸ the default (operators' groups: the group's language). */
export const negotiateLanguage: MiddlewareFn<BotContext> = (ctx, next) => {
  const operatorGroup = ctx.chat?.type === "private" ? undefined : ctx.deps.handoff?.groupById(ctx.chat?.id);
  const chosen = operatorGroup ? operatorGroup.languages[0] : ctx.session.lang;
  const fromTelegram = fromTelegramCode(ctx.from?.language_code);
  ctx.lang = chosen ?? fromTelegram ?? ctx.deps.settings.defaultLanguage;
  ctx.langKnown = Boolean(chosen ?? fromTelegram);
  ctx.t = ctx.deps.i18n.getFixedT(ctx.lang);
  return next();
};
