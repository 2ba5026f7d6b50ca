import { run, type RunnerHandle } from "@grammyjs/runner";
import { Api, type Bot } from "grammy";
import { createBot } from "./bot";
import { loadConfig, ConfigError, type Config } from "./config";
import { staleEntries } from "./content/directory";
import { UPDATE_TIMEOUT_MS, buildDeps } from "./deps";
import type { BotContext } from "./context";
import { describeError, isTelegramError } from "./errors";
import { createHttpServer } from "./http/server";
import { LANGUAGES } from "./i18n/languages";
import { createLogger, type Logger } from "./logger";
import { Metrics } from "./metrics";
import type { KeyValueStore } from "./store/kv";
import { MemoryStore } from "./store/memory";
import { redisStoreFromConfig } from "./store/redis";

const COMMANDS = ["start", "menu", "help", "language", "exit", "delete"];
const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;
const SHUTDOWN_GRACE_MS = 10_000;
const SWEEP_INTERVAL_MS = 30_000;
/** At shutdown, how long the relay may keep sending what people wrote last (a 429 can make it wait). */
const RELAY_DRAIN_MS = 3_000;
/** One attempt to reach Telegram at start gives up after this long. */
const TELEGRAM_ATTEMPT_MS = 5_000;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.LOG_LEVEL);

  let kv: KeyValueStore;
  const redis = redisStoreFromConfig(config);
  if (redis) {
    await redis.connect().catch(() => log.warn({ event: "redis_unreachable_at_start", note: "retrying in the background" }));
    kv = redis;
  } else {
    kv = new MemoryStore();
    log.warn({ event: "memory_store", note: "neither REDIS_URL nor REDIS_SENTINELS is set: state lives in this process only and is not shared between instances" });
  }

  const deps = buildDeps({
    kv,
    secret: config.PSEUDONYM_SECRET,
    sessionTtlSeconds: config.SESSION_TTL_SECONDS,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    quickExitLine: config.QUICK_EXIT_LINE,
    webhook: Boolean(config.WEBHOOK_URL),
    floodLimit: config.FLOOD_LIMIT,
    metrics: new Metrics(true),
    throttle: true,
    log,
    handoff: config.handoff,
  });
  if (!deps.handoff) log.info({ event: "handoff_off", note: "OPERATOR_GROUPS is not set: 'talk to a person' shows the hotlines" });

  for (const entry of staleEntries(deps.content.directory, config.DIRECTORY_MAX_AGE_DAYS)) {
    log.warn({ event: "directory_entry_stale", entry: entry.id, verified_on: entry.verified_on, max_age_days: config.DIRECTORY_MAX_AGE_DAYS });
  }
  if (!new Intl.PluralRules("lv").resolvedOptions().pluralCategories.includes("zero")) {
    log.warn({ event: "icu_incomplete", note: "this Node has no full ICU: Latvian and other plurals will be wrong" });
  }

  const client = config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {};
  const bot = createBot(deps, { token: config.BOT_TOKEN, client });
  bot.catch((err) => log.error({ event: "update_failed", error: describeError(err.error) }));

  // The webhook request waits a little longer than the watchdog lets one update hold its chat.
  const webhook = config.WEBHOOK_URL && config.WEBHOOK_SECRET
    ? { path: new URL(config.WEBHOOK_URL).pathname, secret: config.WEBHOOK_SECRET, timeoutMs: UPDATE_TIMEOUT_MS + 5_000 }
    : undefined;
  // Health first: /healthz answers and /readyz says 503 while Telegram cannot be reached yet.
  const http = createHttpServer({ bot, deps, webhook, metricsToken: config.METRICS_TOKEN });
  if (webhook && !config.METRICS_TOKEN) log.info({ event: "metrics_off", note: "webhook mode: set METRICS_TOKEN to serve /metrics" });
  await new Promise<void>((resolve) => http.listen(config.HTTP_PORT, resolve));

  let runner: RunnerHandle | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: "stopping", signal });
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    // Stop taking updates, let those in flight finish, then close the store.
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    if (runner?.isRunning()) await runner.stop();
    clearInterval(sweeper);
    while (http.inFlight() > 0) await new Promise((r) => setTimeout(r, 50));
    http.closeIdleConnections();
    await closed;
    // The relay stops and gives up its leases: with Redis another instance goes on where this one
    // stopped; with the memory store what can be sent in a moment is sent.
    if (deps.handoff) {
      await deps.handoff.stop();
      if (kv.kind === "memory" && bot.isInited()) await deps.handoff.drain(Date.now() + RELAY_DRAIN_MS);
    }
    await deps.counters.flush();
    await kv.close();
    log.info({ event: "stopped" });
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("unhandledRejection", (reason) => log.error({ event: "unhandled_rejection", error: describeError(reason) }));

  if (!(await reachTelegram(bot, new Api(config.BOT_TOKEN, client), log, () => stopping))) return;

  // Non-essential set-up: a Bot API server that lacks a method must not stop the bot.
  const optional = async (step: string, call: () => Promise<unknown>) => {
    await call().catch((error: unknown) => log.warn({ event: "startup_step_failed", step, error: describeError(error) }));
  };
  for (const lang of LANGUAGES) {
    const t = deps.i18n.getFixedT(lang);
    const commands = [...COMMANDS, ...(deps.handoff ? ["end"] : [])].map((command) => ({ command, description: t(`commands.${command}`) }));
    await optional(`setMyCommands:${lang}`, () => bot.api.setMyCommands(commands, { language_code: lang }));
    if (lang === config.DEFAULT_LANGUAGE) await optional("setMyCommands:default", () => bot.api.setMyCommands(commands));
  }

  if (webhook && config.WEBHOOK_URL) {
    // Registering the webhook is essential in this mode: without it nothing arrives.
    await bot.api.setWebhook(config.WEBHOOK_URL, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
  } else {
    await optional("deleteWebhook", () => bot.api.deleteWebhook());
    runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  }
  // The relay of each operators' group (led by one instance at a time), take timeouts and topic retention.
  if (deps.handoff) {
    const handoff = deps.handoff;
    handoff.start();
    sweeper = setInterval(() => {
      void handoff.sweep().catch((error: unknown) => log.warn({ event: "sweep_failed", error: describeError(error) }));
    }, SWEEP_INTERVAL_MS);
    sweeper.unref();
  }
  log.info({ event: "started", mode: webhook ? "webhook" : "polling", store: kv.kind, http_port: config.HTTP_PORT, bot: bot.botInfo.username });
}

/**
 * Asks Telegram who the bot is, retrying with backoff (1 s doubling to 60 s)
 * for as long as it takes: one clear line says at once that Telegram cannot be
 * reached, later lines how long the next wait is. The probe is a plain Api
 * without the bot's transformers (auto-retry, like bot.init, would retry a
 * network error silently for hours), and each attempt gives up after a few
 * seconds, so a network that swallows packets is noticed as fast as one that
 * refuses them. A token Telegram rejects (401/404) ends the process: retrying
 * cannot fix it. False when shutdown began meanwhile.
 */
async function reachTelegram(bot: Bot<BotContext>, probe: Api, log: Logger, stopping: () => boolean): Promise<boolean> {
  for (let attempt = 1, waitS = 1; !stopping(); attempt++, waitS = Math.min(waitS * 2, 60)) {
    try {
      // grammY types its signal with the abort-controller shim; Node's own AbortSignal is what it uses at run time.
      bot.botInfo = await probe.getMe(AbortSignal.timeout(TELEGRAM_ATTEMPT_MS) as Parameters<Api["getMe"]>[0]);
      if (attempt > 1) log.info({ event: "telegram_reachable", attempts: attempt });
      return true;
    } catch (error) {
      if (isTelegramError(error, 401) || isTelegramError(error, 404)) {
        log.fatal({ event: "telegram_rejected_token", error: describeError(error), note: "Telegram does not accept BOT_TOKEN: check it with @BotFather" });
        process.exit(2);
      }
      log.warn({
        event: "telegram_unreachable",
        attempt,
        retry_in_s: waitS,
        ...(attempt === 1 ? { note: "Telegram cannot be reached; the bot keeps retrying with backoff. /healthz answers, /readyz says 503 until it is reached" } : {}),
        error: describeError(error),
      });
      await new Promise((r) => setTimeout(r, waitS * 1000));
    }
  }
  return false;
}

void main();
