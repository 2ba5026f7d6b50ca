import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type BotConfig } from "grammy";
import type { BotContext, BotDeps } from "./context";
import { errorBoundaryHandler } from "./errors";
import { directory } from "./features/directory";
import { fallback } from "./features/fallback";
import { groups } from "./features/groups";
import { help } from "./features/help";
import { menu } from "./features/menu";
import { safety } from "./features/quick-exit";
import { trackMessages } from "./features/quick-exit/track-messages";
import { screening } from "./features/screening";
import { start } from "./features/start";
import { talk } from "./features/talk";
import { topics } from "./features/topics";
import { urgent } from "./features/urgent";
import { negotiateLanguage } from "./i18n/middleware";
import { pseudonymise } from "./privacy/middleware";
import { sealedSession } from "./store/session-middleware";

export interface CreateBotOptions extends BotConfig<BotContext> {
  token?: string;
}

/**
 * Builds the bot; starts nothing. The order below is the whole architecture of
 * one update:
 *
 *   sequentialize by chat ▸ dependencies ▸ pseudonym of the chat ▸ groups (leave)
 *   ▸ sealed session ▸ language ▸ message ids for quick exit ▸ callback answering
 *   ▸ error boundary { safety (quick exit, /delete) ▸ urgent words ▸ features ▸ fallback }
 */
export function createBot(deps: BotDeps, { token = "0:offline", ...botConfig }: CreateBotOptions = {}): Bot<BotContext> {
  const bot = new Bot<BotContext>(token, botConfig);
  // 429s are waited out, 5xx and network errors retried with backoff (bounded).
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));

  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.use(async (ctx, next) => {
    ctx.deps = deps;
    ctx.callbackAnswered = false;
    await next();
  });
  bot.use(pseudonymise);
  bot.use(async (ctx, next) => {
    // One line per update: its kind, the chat's pseudonym and the time taken. Never its content.
    const started = performance.now();
    await next();
    const kind = Object.keys(ctx.update).find((k) => k !== "update_id") ?? "unknown";
    deps.log.debug({ event: "update", kind, chat: ctx.pseudonym || undefined, ms: Math.round(performance.now() - started) });
  });
  bot.use(groups);
  bot.use(sealedSession);
  bot.use(negotiateLanguage);
  bot.use(trackMessages);
  bot.use(async (ctx, next) => {
    await next();
    // Stop the button's loading spinner if no feature answered with a notice.
    if (ctx.callbackQuery && !ctx.callbackAnswered) await ctx.answerCallbackQuery().catch(() => undefined);
  });

  const features = bot.errorBoundary(errorBoundaryHandler(deps.log));
  features.use(safety);
  features.use(urgent);
  features.use(start, menu, directory, help, talk, topics, screening);
  features.use(fallback);
  return bot;
}
