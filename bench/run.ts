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
import { BOT_INFO, LocalTelegram, Person, type PersonProfile } from "../src/cli/local-telegram";
import type { BotDeps } from "../src/context";
import { buildDeps } from "../src/deps";
import { LANGUAGES, NATIVE_NAMES, type Lang } from "../src/i18n/languages";
import { createLogger } from "../src/logger";
import { UrgentMatcher } from "../src/features/urgent/matcher";
import { RedisStore } from "../src/store/redis";
import { corpusLanguages, judge, loadCorpus } from "../test/helpers/urgent-corpus";
import { busyHour } from "./busy-hour";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 200);
const SCREENING_SAMPLES = Number(process.env.BENCH_SCREENING_SAMPLES ?? 300);
const BURST = 5000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const WALKS_PER_ROUND = 2;
/** Rounds of the corpus through the urgent matcher, at today's phrases and at ten times (each). */
const URGENT_ROUNDS = 15;

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

type UpdateHandler = { handleUpdate(u: Update): Promise<void> };

/** Feeds one update and records how long the bot took with it. */
async function timed(bot: UpdateHandler, update: Update, timings: number[]): Promise<void> {
  const started = performance.now();
  await bot.handleUpdate(update);
  timings.push(performance.now() - started);
}

/**
 * One person's realistic path, in their own language: start → language → a
 * topic (two screens) → the menu → the offer check, answering every question,
 * until its result. Returns the number of updates it took.
 */
async function walk(bot: UpdateHandler, tg: LocalTelegram, deps: BotDeps, p: Person, lang: Lang, timings: number[]): Promise<number> {
  const t = deps.i18n.getFixedT(lang);
  const labels = () => tg.lastBotMessage(p.profile.id)?.keyboard?.flat().map((b) => b.text) ?? [];
  const path: (() => Update)[] = [
    () => p.text("/start"),
    () => p.press(NATIVE_NAMES[lang]),
    () => p.press(t("button.topics")),
    () => p.press(t("topics.job_offers.title")),
    () => p.press(t("button.next")),
    () => p.press(t("button.menu")),
    () => p.press(t("button.check")),
    () => p.press(t("screening.start")),
    () => p.press(t("screening.track.offer")),
    () => p.press(t("screening.option.UA")),
    () => p.press(t("screening.option.18_24")),
    () => p.press(t("screening.option.job_abroad")),
  ];
  for (const step of path) await timed(bot, step(), timings);
  let steps = path.length;
  // Yes/no questions, with the check's own pauses ("continue"), until the result.
  for (;;) {
    const shown = labels();
    const next = [t("screening.continue"), t("screening.answer.no")].find((label) => shown.includes(label));
    if (!next) break;
    if (steps > 60) throw new Error("the check did not reach its result");
    await timed(bot, p.press(next), timings);
    steps++;
  }
  if (!tg.lastBotMessage(p.profile.id)?.text.includes(t("screening.result.title.offer_1"))) throw new Error("the walk did not end on the result");
  return steps;
}

/** The baseline's person: as many updates as the real walk, /start then button presses. */
async function baselineWalk(bot: UpdateHandler, p: Person, updates: number, timings: number[]): Promise<void> {
  await timed(bot, p.text("/start"), timings);
  for (let i = 1; i < updates; i++) await timed(bot, p.callback("x"), timings);
}

let nextId = 1_000_000;
const someone = (): PersonProfile => ({ id: nextId++, first_name: "B" });

/**
 * One round: PEOPLE people at once, each followed by another when done
 * (WALKS_PER_ROUND in a row), so a round lasts long enough to measure.
 */
async function throughput(tg: LocalTelegram, walkOne: (p: Person, n: number, timings: number[]) => Promise<unknown>) {
  const timings: number[] = [];
  let walks = 0;
  // Start each round with a clean heap, so one bot's garbage is not collected on the other's time.
  globalThis.gc?.();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PEOPLE }, async () => {
      for (let i = 0; i < WALKS_PER_ROUND; i++) await walkOne(new Person(tg, someone()), walks++, timings);
    }),
  );
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
  // Each person speaks one of the six languages, in turn.
  const full = (p: Person, n: number, x: number[]) => walk(bot, tg, deps, p, LANGUAGES[n % LANGUAGES.length]!, x);
  const updatesPerWalk = await walk(bot, tg, deps, new Person(tg, someone()), "en", []);
  const bare = (p: Person, _n: number, x: number[]) => baselineWalk(base, p, updatesPerWalk, x);

  // Warm up both (JIT, connections).
  await throughput(tg, full);
  await throughput(tg, bare);

  // Alternate the two bots over several rounds and report the median of the
  // per-round ratios: one run of each is too noisy on a small machine to compare.
  const fullRuns: Awaited<ReturnType<typeof throughput>>[] = [];
  const baseRuns: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Which bot goes first alternates, so neither always runs on a machine the other has warmed.
    if (round % 2 === 1) baseRuns.push((await throughput(tg, bare)).perSecond);
    fullRuns.push(await throughput(tg, full));
    if (round % 2 === 0) baseRuns.push((await throughput(tg, bare)).perSecond);
  }
  const median = (xs: number[]) => quantile(xs, 0.5);
  const fullPerSecond = median(fullRuns.map((r) => r.perSecond));
  const timings = fullRuns.flatMap((r) => r.timings);
  console.log(`people: ${PEOPLE}`);
  console.log(`updates_per_walk: ${updatesPerWalk}`);
  console.log(`updates_per_s: ${fullPerSecond.toFixed(0)}`);
  console.log(`p50_ms: ${quantile(timings, 0.5).toFixed(2)}`);
  console.log(`p99_ms: ${quantile(timings, 0.99).toFixed(2)}`);
  console.log(`baseline_updates_per_s: ${median(baseRuns).toFixed(0)}`);
  const ratios = fullRuns.map((r, i) => r.perSecond / (baseRuns[i] ?? 1));
  console.log(`ratio_vs_baseline: ${median(ratios).toFixed(2)}`);
  console.log(`ratio_rounds: ${ratios.map((x) => x.toFixed(2)).join(" ")}`);

  // Per-step cost of the check, one person at a time. screening_step1_us is the
  // update that shows the first question (the choice of track),
  // screening_step_last_us the one that shows the last (the answer to the one
  // before): both render one question, so their ratio shows whether the cost
  // grows with the step. screening_result_us is the answer to the last
  // question, which scores the check and shows the result's first page.
  const situation = deps.content.screening.tracks.find((x) => x.id === "situation")!;
  const last = situation.questions.length;
  const step1: number[] = [];
  const stepLast: number[] = [];
  const result: number[] = [];
  let bytes = 0;
  const step = async (update: Update, into?: number[]) => {
    const started = process.hrtime.bigint();
    await bot.handleUpdate(update);
    into?.push(Number(process.hrtime.bigint() - started) / 1000);
  };
  for (let i = 0; i < SCREENING_SAMPLES; i++) {
    const p = new Person(tg, { ...someone(), language_code: "en" });
    const buttons = () => tg.lastBotMessage(p.profile.id)?.keyboard?.flat().map((b) => b.text) ?? [];
    await step(p.text("/start"));
    await step(p.press(t("button.check")));
    await step(p.press(t("screening.start")));
    await step(p.press(t("screening.track.situation")), step1);
    for (let q = 1; q <= last; q++) {
      if (buttons().includes(t("screening.continue"))) await step(p.press(t("screening.continue")));
      const label = q === 1 ? t("screening.option.LV") : q === 2 ? t("screening.option.18_24") : t("screening.answer.no");
      await step(p.press(label), q === last - 1 ? stepLast : q === last ? result : undefined);
      if (q === Math.floor(last / 2) && i === 0) {
        // Mid-check: everything Redis holds for this one person.
        const key = deps.sessions.key(deps.keys.pseudonym("chat", p.profile.id));
        bytes = Number(await redis.client.memory("USAGE", key));
      }
    }
  }
  const s1 = quantile(step1, 0.5);
  const sLast = quantile(stepLast, 0.5);
  console.log(`screening_questions: ${last}`);
  console.log(`screening_step1_us: ${s1.toFixed(0)}`);
  console.log(`screening_step_last_us: ${sLast.toFixed(0)}`);
  console.log(`screening_step_ratio: ${(sLast / s1).toFixed(2)}`);
  console.log(`screening_result_us: ${quantile(result, 0.5).toFixed(0)}`);
  console.log(`redis_bytes_per_active_user: ${bytes}`);

  // 5,000 distinct people sending /start within one second (arrivals spread evenly over it,
  // so the total cannot be under 1 s: how long each waited for its answer is the p99).
  const burstTg = new LocalTelegram();
  const burst = realBot(redis, burstTg).bot;
  const updates = Array.from({ length: BURST }, (_, i) => new Person(burstTg, { ...someone(), language_code: LANGUAGES[i % LANGUAGES.length] }).text("/start"));
  const waits: number[] = [];
  const started = performance.now();
  await Promise.all(updates.map((u, i) => new Promise<void>((resolve) => setTimeout(() => resolve(timed(burst, u, waits)), (i * 1000) / BURST))));
  const answered = new Set(burstTg.calls.filter((c) => c.method === "sendMessage").map((c) => c.payload.chat_id)).size;
  console.log(`burst_5000_starts_s: ${((performance.now() - started) / 1000).toFixed(2)}`);
  console.log(`burst_p99_ms: ${quantile(waits, 0.99).toFixed(1)}`);
  console.log(`burst_answered: ${answered}`);

  await urgentFigures(deps);
  await busyHour(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");

  await redis.client.flushdb();
  await redis.close();
  baseRedis.disconnect();
  process.exit(0);
}

/**
 * The urgent-message figures: recall and false alarms on the native-written
 * corpus, through the real bot, per language; and the matcher's cost per
 * message at today's phrase count and at ten times as many phrases (the same
 * words recombined into new phrases, so the extra ones share real words and
 * are really looked at): the median over rounds, alternating the two, of
 * the cost per message of a round of the corpus.
 */
async function urgentFigures(deps: BotDeps) {
  for (const lang of corpusLanguages()) {
    const f = await judge(lang);
    console.log(`urgent_recall_${lang}: ${(f.recall * 100).toFixed(1)}`);
    console.log(`urgent_false_alarms_${lang}: ${(f.falseAlarms * 100).toFixed(1)}`);
    console.log(`urgent_right_kind_${lang}: ${(f.rightKind * 100).toFixed(1)}`);
  }
  const lists = deps.content.urgentWords;
  const tenfold = Object.fromEntries(
    Object.entries(lists).map(([lang, byCategory]) => [
      lang,
      Object.fromEntries(
        Object.entries(byCategory).filter(([, phrases]) => Array.isArray(phrases)).map(([category, phrases]) => {
          const extra = phrases.flatMap((phrase, i) =>
            Array.from({ length: 9 }, (_, k) => {
              const words = phrase.trim().split(/\s+/);
              const other = (phrases[(i + k + 1) % phrases.length] ?? phrase).trim().split(/\s+/);
              return [...words.slice(0, Math.max(1, words.length - 1)), other[other.length - 1]].join(" ");
            }),
          );
          return [category, [...phrases, ...extra]];
        }),
      ),
    ]),
  );
  const messages = corpusLanguages().flatMap((l) => loadCorpus(l).map((m) => m.text));
  /** One round: every corpus message once; the cost per message, in µs. */
  const round = (matcher: UrgentMatcher) => {
    const started = process.hrtime.bigint();
    for (const m of messages) matcher.find(m);
    return Number(process.hrtime.bigint() - started) / 1000 / messages.length;
  };
  const today = new UrgentMatcher(lists);
  const ten = new UrgentMatcher(tenfold);
  for (let r = 0; r < 7; r++) {
    // Warm-up.
    round(today);
    round(ten);
  }
  // The two alternate round by round (which goes first too), so that a shared machine's drift hits both alike.
  const todayRounds: number[] = [];
  const tenRounds: number[] = [];
  for (let r = 0; r < URGENT_ROUNDS; r++) {
    if (r % 2 === 1) tenRounds.push(round(ten));
    todayRounds.push(round(today));
    if (r % 2 === 0) tenRounds.push(round(ten));
  }
  const a = quantile(todayRounds, 0.5);
  const b = quantile(tenRounds, 0.5);
  console.log(`urgent_phrases: ${today.size}`);
  console.log(`urgent_match_us: ${a.toFixed(2)}`);
  console.log(`urgent_phrases_10x: ${ten.size}`);
  console.log(`urgent_match_10x_us: ${b.toFixed(2)}`);
  console.log(`urgent_match_10x_ratio: ${(b / a).toFixed(2)}`);
}

// `npm run bench -- busy-hour` runs only the busy hour (two instances, a fake Bot API with Telegram's limits).
if (process.argv.includes("busy-hour")) void busyHour(process.env.REDIS_URL ?? "redis://127.0.0.1:6379").then(() => process.exit(0));
else void main();
