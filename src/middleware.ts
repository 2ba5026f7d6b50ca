import { limit } from "@grammyjs/ratelimiter";
import type { MiddlewareFn } from "grammy";
import type { BotContext, BotDeps } from "./context";
import { KEY_PREFIX } from "./store/kv";
import { notice } from "./ui/screen";

/**
 * Webhook mode: Telegram redelivers an update it thinks we missed. The first
 * delivery claims its update_id (SET NX EX); later ones are dropped. If the
 * store cannot be reached, the update is handled rather than lost.
 */
export function dropRedeliveries(deps: BotDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    let first = true;
    try {
      first = await deps.kv.setIfAbsent(`${KEY_PREFIX}u:${ctx.update.update_id}`, "1", 3600);
    } catch {
      deps.log.warn({ event: "dedupe_unavailable" });
    }
    if (!first) {
      deps.log.info({ event: "update_redelivered_dropped" });
      return;
    }
    await next();
  };
}

/**
 * One stuck handler must not silence a chat: after updateTimeoutMs the chat's
 * queue moves on (the handler may still finish in the background).
 */
export function watchdog(deps: BotDeps): MiddlewareFn<BotContext> {
  return (_ctx, next) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        deps.log.error({ event: "update_watchdog", timeout_ms: deps.settings.updateTimeoutMs });
        deps.metrics.errors.inc({ kind: "watchdog" });
        resolve();
      }, deps.settings.updateTimeoutMs);
      timer.unref();
      next().then(
        () => (clearTimeout(timer), resolve()),
        (error: unknown) => (clearTimeout(timer), reject(error)),
      );
    });
}

/** Updates kind, handling time, and one debug line per update (kind, pseudonym, time; never content). */
export function observe(deps: BotDeps): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    const started = performance.now();
    const done = () => {
      const kind = Object.keys(ctx.update).find((k) => k !== "update_id") ?? "unknown";
      const ms = performance.now() - started;
      deps.metrics.updates.inc({ kind });
      deps.metrics.handling.observe(ms / 1000);
      if (deps.log.isLevelEnabled("debug")) deps.log.debug({ event: "update", kind, chat: ctx.pseudonym || undefined, ms: Math.round(ms) });
    };
    return next().then(done, (error: unknown) => {
      done();
      throw error;
    });
  };
}

/**
 * Flood control, keyed by the chat's pseudonym (never the id): a person
 * sending hundreds of messages is slowed without touching anyone else, and
 * cannot fill an operators' group's relay queue, which every person in a case
 * shares. The counts stay in this process (the plugin's memory store), so a
 * Redis outage cannot turn flood control into errors. Never counted: urgent
 * words (never rate-limited away) and the parts of an album (relayed as one).
 */
export function floodControl(deps: BotDeps): MiddlewareFn<BotContext> {
  return limit<BotContext, never>({
    timeFrame: 10_000,
    limit: deps.settings.floodLimit,
    keyGenerator: (ctx) => {
      const message = ctx.message ?? ctx.editedMessage;
      const text = message?.text ?? message?.caption;
      if (ctx.chat?.type !== "private" || message?.media_group_id || (text && ctx.deps.urgent.matches(text))) return undefined;
      return ctx.pseudonym;
    },
    onLimitExceeded: async (ctx) => {
      deps.metrics.event("flood_limited");
      if (ctx.callbackQuery) await notice(ctx, ctx.t("fallback.slow_down"));
      else await ctx.reply(ctx.t("fallback.slow_down")).catch(() => undefined);
    },
  });
}
