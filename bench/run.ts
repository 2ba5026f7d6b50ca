/**
 * `npm run bench`: replays synthetic private-chat updates through the real bot
 * (Telegram faked at client.fetch, a real Redis on loopback) and prints
 * `name: value` lines. Uses REDIS_URL or 127.0.0.1:6379, database 14, which it
 * empties first.
 */
import { performance } from "node:perf_hooks";
import { Bot, session, type Context, type SessionFlavor } from "grammy";
import Redis from "ioredis";
import type { Update } from "grammy/types";
import { createBot } from "../src/bot";
import { BOT_INFO, Person, type PersonProfile } from "../src/cli/local-telegram";
import { LocalTelegram } from "../src/cli/local-telegram";
import { buildDeps } from "../src/deps";
import { createLogger } from "../src/logger";
import { RedisStore } from "../src/store/redis";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 200);
const SCREENING_SAMPLES = Number(process.env.BENCH_SCREENING_SAMPLES ?? 300);
const BURST = 5000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

function redisUrl(): string {
  const u = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  u.pathname = "/14";
  return u.toString();
}

async function redisStore(): Promise<RedisStore> {
  const store = new RedisStore(redisUrl());
  await store.connect();
  await store.client.flushdb();
  return store;
}

function realBot(redis: RedisStore, tg: LocalTelegram) {
  const deps = buildDeps({ kv: redis, secret: "bench-secret-bench-secret-bench-secret", log: createLogger("silent"), floodLimit: 1_000_000 });
  const bot = createBot(deps, { botInfo: BOT_INFO, client: { fetch: tg.fetch } });
  return { bot, deps };
}

/**
 * Baseline: a bare grammY bot with a Redis session doing the least a bot can
 * do, on its own ioredis client with the library's defaults.
 */
function baselineBot(redis: Redis, tg: LocalTelegram) {
  type C = Context & SessionFlavor<{ n: number }>;
  const bot = new Bot<C>("0:bench", { botInfo: BOT_INFO, client: { fetch: tg.fetch } });
  bot.use(
    session({
      initial: () => ({ n: 0 }),
      storage: {
        read: async (key) => {
          const v = await redis.get(`bl:${key}`);
          return v ? (JSON.parse(v) as { n: number }) : undefined;
        },
        write: async (key, value) => void (await redis.set(`bl:${key}`, JSON.stringify(value), "EX", 1800)),
        delete: async (key) => void (await redis.del(`bl:${key}`)),
      },
    }),
  );
  bot.on("callback_query", async (ctx) => {
    ctx.session.n++;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(`ok ${ctx.session.n}`).catch(() => ctx.reply(`ok ${ctx.session.n}`));
  });
  bot.on("message", async (ctx) => {
    ctx.session.n++;
    await ctx.reply(`ok ${ctx.session.n}`);
  });
  return bot;
}

/** One person's realistic path: start → a topic → the check → result. */
async function walk(bot: { handleUpdate(u: Update): Promise<void> }, tg: LocalTelegram, p: Person, t: (k: string) => string, timings: number[], baseline = false) {
  const steps: (() => Update)[] = [
    () => p.text("/start"),
    () => (baseline ? p.callback("x") : p.press(t("button.topics"))),
    () => (baseline ? p.callback("x") : p.press(t("topics.job_offers.title"))),
    () => (baseline ? p.callback("x") : p.press(t("button.next"))),
    () => (baseline ? p.callback("x") : p.press(t("button.menu"))),
    () => (baseline ? p.callback("x") : p.press(t("button.check"))),
    () => (baseline ? p.callback("x") : p.press(t("screening.start"))),
    () => (baseline ? p.callback("x") : p.press(t("screening.track.offer"))),
    () => (baseline ? p.callback("x") : p.press(t("screening.option.UA"))),
    () => (baseline ? p.callback("x") : p.press(t("screening.option.18_24"))),
    () => (baseline ? p.callback("x") : p.press(t("screening.option.job_abroad"))),
  ];
  for (let i = 0; i < 11; i++) {
    steps.push(() => {
      if (baseline) return p.callback("x");
      const buttons = tg.lastBotMessage(p.profile.id)?.keyboard?.flat().map((b) => b.text) ?? [];
      return buttons.includes(t("screening.continue")) ? p.press(t("screening.continue")) : p.press(t("screening.answer.no"));
    });
  }
  for (const step of steps) {
    const update = step();
    const started = performance.now();
    await bot.handleUpdate(update);
    timings.push(performance.now() - started);
  }
}

let nextId = 1_000_000;
const someone = (): PersonProfile => ({ id: nextId++, first_name: "B", language_code: "en" });

async function throughput(run: (p: Person, timings: number[]) => Promise<void>, tg: LocalTelegram) {
  const timings: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: PEOPLE }, () => run(new Person(tg, someone()), timings)));
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: timings.length / seconds, timings };
}

async function main() {
  const redis = await redisStore();
  const tg = new LocalTelegram(false);
  const { bot, deps } = realBot(redis, tg);
  const t = deps.i18n.getFixedT("en");
  const baseRedis = new Redis(redisUrl());
  const base = baselineBot(baseRedis, tg);

  // Warm up both (JIT, connections).
  await throughput((p, x) => walk(bot, tg, p, t, x), tg);
  await throughput((p, x) => walk(base, tg, p, t, x, true), tg);

  // Alternate the two bots over several rounds and report medians: one run of
  // each is too noisy on a small machine to compare.
  const fullRuns: Awaited<ReturnType<typeof throughput>>[] = [];
  const baseRuns: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    fullRuns.push(await throughput((p, x) => walk(bot, tg, p, t, x), tg));
    baseRuns.push((await throughput((p, x) => walk(base, tg, p, t, x, true), tg)).perSecond);
  }
  const median = (xs: number[]) => quantile(xs, 0.5);
  const fullPerSecond = median(fullRuns.map((r) => r.perSecond));
  const timings = fullRuns.flatMap((r) => r.timings);
  console.log(`people: ${PEOPLE}`);
  console.log(`updates_per_s: ${fullPerSecond.toFixed(0)}`);
  console.log(`p50_ms: ${quantile(timings, 0.5).toFixed(2)}`);
  console.log(`p99_ms: ${quantile(timings, 0.99).toFixed(2)}`);
  console.log(`baseline_updates_per_s: ${median(baseRuns).toFixed(0)}`);
  const ratios = fullRuns.map((r, i) => r.perSecond / (baseRuns[i] ?? 1));
  console.log(`ratio_vs_baseline: ${median(ratios).toFixed(2)}`);
  console.log(`ratio_rounds: ${ratios.map((x) => x.toFixed(2)).join(" ")}`);

  // Per-step cost of the check, one person at a time. screening_stepN_us is the
  // update that shows question N (for N = 1 the choice of track, for N = 14 the
  // answer to question 13): both render one question, so their ratio shows
  // whether the cost grows with the step. screening_result_us is the answer to
  // the last question, which scores the check and shows the result.
  const step1: number[] = [];
  const step14: number[] = [];
  const result: number[] = [];
  let bytes = 0;
  const timed = async (update: Update, into?: number[]) => {
    const started = process.hrtime.bigint();
    await bot.handleUpdate(update);
    into?.push(Number(process.hrtime.bigint() - started) / 1000);
  };
  for (let i = 0; i < SCREENING_SAMPLES; i++) {
    const p = new Person(tg, someone());
    const buttons = () => tg.lastBotMessage(p.profile.id)?.keyboard?.flat().map((b) => b.text) ?? [];
    await timed(p.text("/start"));
    await timed(p.press(t("button.check")));
    await timed(p.press(t("screening.start")));
    await timed(p.press(t("screening.track.situation")), step1);
    for (let q = 1; q <= 14; q++) {
      if (buttons().includes(t("screening.continue"))) await timed(p.press(t("screening.continue")));
      const label = q === 1 ? t("screening.option.LV") : q === 2 ? t("screening.option.18_24") : t("screening.answer.no");
      await timed(p.press(label), q === 13 ? step14 : q === 14 ? result : undefined);
      if (q === 8 && i === 0) {
        // Mid-check: everything Redis holds for this one person.
        const key = deps.sessions.key(deps.keys.pseudonym("chat", p.profile.id));
        bytes = Number(await redis.client.memory("USAGE", key));
      }
    }
  }
  const s1 = quantile(step1, 0.5);
  const s14 = quantile(step14, 0.5);
  console.log(`screening_step1_us: ${s1.toFixed(0)}`);
  console.log(`screening_step14_us: ${s14.toFixed(0)}`);
  console.log(`screening_step_ratio: ${(s14 / s1).toFixed(2)}`);
  console.log(`screening_result_us: ${quantile(result, 0.5).toFixed(0)}`);
  console.log(`redis_bytes_per_active_user: ${bytes}`);

  // 5,000 distinct people sending /start within one second.
  const burstTg = new LocalTelegram();
  const burst = realBot(redis, burstTg).bot;
  const updates = Array.from({ length: BURST }, () => new Person(burstTg, someone()).text("/start"));
  const started = performance.now();
  await Promise.all(updates.map((u, i) => new Promise<void>((resolve, reject) => setTimeout(() => burst.handleUpdate(u).then(resolve, reject), (i * 1000) / BURST))));
  const answered = new Set(burstTg.calls.filter((c) => c.method === "sendMessage").map((c) => c.payload.chat_id)).size;
  console.log(`burst_5000_starts_s: ${((performance.now() - started) / 1000).toFixed(2)}`);
  console.log(`burst_answered: ${answered}`);

  await redis.client.flushdb();
  await redis.close();
  baseRedis.disconnect();
  process.exit(0);
}

void main();
