import { run, type RunnerHandle } from "@grammyjs/runner";
import { createBot } from "./bot";
import { loadConfig, ConfigError, type Config } from "./config";
import { staleEntries } from "./content/directory";
import { UPDATE_TIMEOUT_MS, buildDeps } from "./deps";
import { describeError } from "./errors";
import { createHttpServer } from "./http/server";
import { LANGUAGES } from "./i18n/languages";
import { createLogger } from "./logger";
import { Metrics } from "./metrics";
import type { KeyValueStore } from "./store/kv";
import { MemoryStore } from "./store/memory";
import { RedisStore } from "./store/redis";

const COMMANDS = ["start", "menu", "help", "language", "exit", "delete"];
const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;
const SHUTDOWN_GRACE_MS = 10_000;
const SWEEP_INTERVAL_MS = 30_000;
/** At shutdown, how long the relay may keep sending what people wrote last (a 429 can make it wait). */
const RELAY_DRAIN_MS = 3_000;

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
  if (config.REDIS_URL) {
    const redis = new RedisStore(config.REDIS_URL);
    await redis.connect().catch(() => log.warn({ event: "redis_unreachable_at_start", note: "retrying in the background" }));
    kv = redis;
  } else {
    kv = new MemoryStore();
    log.warn({ event: "memory_store", note: "REDIS_URL is not set: state lives in this process only and is not shared between instances" });
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

  const bot = createBot(deps, {
    token: config.BOT_TOKEN,
    client: config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {},
  });
  bot.catch((err) => log.error({ event: "update_failed", error: describeError(err.error) }));
  await bot.init();

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

  // The webhook request waits a little longer than the watchdog lets one update hold its chat.
  const webhook = config.WEBHOOK_URL && config.WEBHOOK_SECRET
    ? { path: new URL(config.WEBHOOK_URL).pathname, secret: config.WEBHOOK_SECRET, timeoutMs: UPDATE_TIMEOUT_MS + 5_000 }
    : undefined;
  const http = createHttpServer({ bot, deps, webhook, metricsToken: config.METRICS_TOKEN });
  if (webhook && !config.METRICS_TOKEN) log.info({ event: "metrics_off", note: "webhook mode: set METRICS_TOKEN to serve /metrics" });
  await new Promise<void>((resolve) => http.listen(config.HTTP_PORT, resolve));

  let runner: RunnerHandle | undefined;
  if (webhook && config.WEBHOOK_URL) {
    // Registering the webhook is essential in this mode: without it nothing arrives.
    await bot.api.setWebhook(config.WEBHOOK_URL, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
  } else {
    await optional("deleteWebhook", () => bot.api.deleteWebhook());
    runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  }
  // Take timeouts and topic retention; the relay queues drain as messages arrive, and every 30 s in case.
  const sweeper = deps.handoff
    ? setInterval(() => {
        void deps.handoff?.sweep().catch((error: unknown) => log.warn({ event: "sweep_failed", error: describeError(error) }));
        void deps.handoff?.drain().catch((error: unknown) => log.warn({ event: "drain_failed", error: describeError(error) }));
      }, SWEEP_INTERVAL_MS)
    : undefined;
  sweeper?.unref();
  log.info({ event: "started", mode: webhook ? "webhook" : "polling", store: kv.kind, http_port: config.HTTP_PORT, bot: bot.botInfo.username });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: "stopping", signal });
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    // Stop taking updates, let those in flight finish, then close the store.
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    if (runner?.isRunning()) await runner.stop();
    if (sweeper) clearInterval(sweeper);
    while (http.inFlight() > 0) await new Promise((r) => setTimeout(r, 50));
    http.closeIdleConnections();
    await closed;
    // Albums still being gathered go to the relay queue; what the queue can send in a moment is sent
    // (with Redis the rest waits there for the next instance).
    if (deps.handoff) {
      await deps.handoff.flushAlbums();
      await Promise.race([deps.handoff.drain(), new Promise((r) => setTimeout(r, RELAY_DRAIN_MS).unref())]);
    }
    await deps.counters.flush();
    await kv.close();
    log.info({ event: "stopped" });
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("unhandledRejection", (reason) => log.error({ event: "unhandled_rejection", error: describeError(reason) }));
}

void main();
