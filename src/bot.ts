import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, Composer, type BotConfig } from "grammy";
import { helplineContext, type BotContext, type BotDeps } from "./context";
import { errorBoundaryHandler } from "./error-boundary";
import { directory } from "./features/directory";
import { fallback } from "./features/fallback";
import { groups } from "./features/groups";
import { operators } from "./features/handoff/operators";
import { activeCase, handoffPerson } from "./features/handoff/person";
import { help } from "./features/help";
import { menu } from "./features/menu";
import { safety } from "./features/quick-exit";
import { screening } from "./features/screening";
import { start } from "./features/start";
import { talk } from "./features/talk";
import { topics } from "./features/topics";
import { urgent } from "./features/urgent";
import { negotiateLanguage } from "./i18n/middleware";
import { dropRedeliveries, floodControl, observe, watchdog } from "./middleware";
import { buttonFeature, dispatch } from "./routing";
import { sealedSession } from "./store/session-middleware";
import { throttle } from "./telegram/limits";

export interface CreateBotOptions extends BotConfig<BotContext> {
  token?: string;
}

/**
 * Builds the bot; starts nothing. The order below is the whole architecture of
 * one update:
 *
 *   (the context carries the dependencies and the chat's pseudonym: src/context.ts)
 *   [webhook: drop redeliveries] ▸ sequentialize by chat ▸ watchdog
 *   ▸ metrics and log line ▸ groups (leave) ▸ sealed session
 *   ▸ language ▸ message ids for quick exit ▸ callback answering
 *   ▸ error boundary { operators' groups
 *                    | private chats: safety (quick exit, /delete) ▸ flood control
 *                                     ▸ an open case (relay) ▸ urgent words ▸ features ▸ fallback }
 */
export function createBot(deps: BotDeps, { token = "0:offline", ...botConfig }: CreateBotOptions = {}): Bot<BotContext> {
  const bot = new Bot<BotContext>(token, { ContextConstructor: helplineContext(deps), ...botConfig });
  deps.handoff?.attach(bot.api);
  // Innermost, so every attempt (retries too) waits its turn under Telegram's limits.
  if (deps.settings.throttle) {
    // The relay: anything into an operators' group, and a worker's message copied from one to a person.
    const groups = new Set(deps.handoff?.config.groups.map((g) => g.chatId));
    bot.api.config.use(...throttle(deps.settings.limits, (_method, p) => groups.has(Number(p.chat_id)) || groups.has(Number(p.from_chat_id))));
  }
  // Each attempt is counted (inside auto-retry, so retries show as extra calls).
  bot.api.config.use((prev, method, payload, signal) =>
    prev(method, payload, signal).then((response) => {
      deps.metrics.telegramCalls.inc({ method, outcome: response.ok ? "ok" : String(response.error_code) });
      return response;
    }),
  );
  // 429s are waited out, 5xx and network errors retried with backoff. In webhook
  // mode the wait is capped so a 429 cannot outlive Telegram's request.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: deps.settings.webhook ? 5 : 30 }));
  // Every message that reaches a private chat, from any update or none, is noted for quick exit.
  bot.api.config.use(deps.messages.transformer);

  if (deps.settings.webhook) bot.use(dropRedeliveries(deps));
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.use(watchdog(deps));
  bot.use(observe(deps));
  bot.use(groups);
  bot.use(sealedSession);
  bot.use(negotiateLanguage);
  bot.use(deps.messages.middleware);
  bot.use(async (ctx, next) => {
    await next();
    // Stop the button's loading spinner if no feature answered with a notice.
    if (ctx.callbackQuery && !ctx.callbackAnswered) await ctx.answerCallbackQuery().catch(() => undefined);
  });

  const features = bot.errorBoundary(errorBoundaryHandler(deps.log));
  // Everything a person can do sits behind one private-chat check (each feature
  // composer would otherwise re-check the chat type on every update); the
  // operators' groups have their own composer.
  const people = new Composer<BotContext>();
  features.use(dispatch((ctx) => (ctx.chat?.type === "private" ? "people" : "groups"), { people, groups: operators }));
  people.use(safety);
  people.use(floodControl(deps));
  people.use(activeCase);
  people.use(urgent);
  // A button goes straight to the feature its callback data names (v1:<feature>:…);
  // a message to the features that take commands. What nobody takes reaches the fallback.
  const routes = {
    message: new Composer<BotContext>(start, menu, help),
    lang: start,
    menu,
    dir: directory,
    help,
    talk: new Composer<BotContext>(handoffPerson, talk),
    topic: topics,
    topics,
    scr: screening,
  };
  people.use(dispatch((ctx) => (ctx.callbackQuery ? buttonFeature(ctx) : "message"), routes));
  people.use(fallback);
  return bot;
}
