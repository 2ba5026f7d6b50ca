/**
 * The busy hour: two bot instances in webhook mode sharing one Redis, a fake
 * Bot API that enforces Telegram's limits (429 with retry_after when one is
 * exceeded), 40 people in cases spread over two operators' groups, each person
 * and each worker writing a message every 30 s on average for a simulated hour.
 * Time runs BUSY_HOUR_SCALE (default 30) times faster for everything: the fake's
 * limits, the bot's pacing, the people. Prints the figures of docs/scaling.md.
 */
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import { createBot } from "../src/bot";
import { LocalTelegram, Operator, Person } from "../src/cli/local-telegram";
import { buildDeps } from "../src/deps";
import { parseHandoffConfig } from "../src/features/handoff/config";
import { createHttpServer } from "../src/http/server";
import { Metrics } from "../src/metrics";
import { RedisStore } from "../src/store/redis";
import { TELEGRAM_LIMITS, compressed } from "../src/telegram/limits";

const SCALE = Number(process.env.BUSY_HOUR_SCALE ?? 30);
const SIM_HOUR_S = 3600;
const PEOPLE = 40;
const GROUPS = [-1001000000201, -1001000000202];
const MEAN_GAP_S = 30;
const SECRET = "busy-hour-webhook-secret";
/** Telegram's limits, in simulated seconds. */
const LIMIT = { perSecond: 30, groupPerMinute: 20, privatePerSecond: 1 };
/** Methods that put something into a chat (what Telegram's limits count). */
const SENDING = new Set(["sendMessage", "copyMessage", "copyMessages", "editMessageText", "createForumTopic", "editForumTopic", "closeForumTopic", "deleteForumTopic"]);

const simNow = () => (Date.now() * SCALE) / 1000;
const realMs = (simSeconds: number) => (simSeconds * 1000) / SCALE;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A seeded generator, so every run sees the same hour. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) % 4294967296;
    return seed / 4294967296;
  };
}

interface Sent {
  case: number;
  direction: "in" | "out";
  seq: number;
  at: number;
  delivered?: number;
}

export async function busyHour(redisUrl: string): Promise<void> {
  const tg = new LocalTelegram(false);
  const sent = new Map<string, Sent>(); // "<from chat>:<message id>" → what it was
  const lastSeq = new Map<string, number>(); // "<case>:<direction>" → last delivered seq
  let violations = 0;
  let duplicates = 0;
  let tooMany = 0;
  const windows = { all: [] as number[], byChat: new Map<number, number[]>() };
  const groupCalls = new Map<number, number[]>(GROUPS.map((g) => [g, []]));

  // ── the fake Bot API ─────────────────────────────────────────────────────
  const overLimit = (chat: number | undefined, now: number): number | undefined => {
    const recent = (list: number[], span: number) => {
      while (list.length && list[0]! <= now - span) list.shift();
      return list;
    };
    if (recent(windows.all, 1).length >= LIMIT.perSecond) return 1;
    if (chat === undefined) return undefined;
    const list = windows.byChat.get(chat) ?? [];
    windows.byChat.set(chat, list);
    if (chat < 0 && recent(list, 60).length >= LIMIT.groupPerMinute) return 60 - (now - list[0]!);
    if (chat > 0 && recent(list, 1).length >= LIMIT.privatePerSecond) return 1 - (now - list[0]!);
    return undefined;
  };
  const api = createServer(async (req, res) => {
    const body = JSON.parse((await readBody(req)) || "{}") as Record<string, unknown>;
    const method = String(req.url).split("/").pop() ?? "";
    const chat = body.chat_id === undefined ? undefined : Number(body.chat_id);
    const now = simNow();
    if (SENDING.has(method)) {
      const wait = overLimit(chat, now);
      if (wait !== undefined) {
        tooMany++;
        // retry_after is in real seconds for the bot; at least 1.
        const retry_after = Math.max(1, Math.ceil(realMs(wait) / 1000));
        res.end(JSON.stringify({ ok: false, error_code: 429, description: `Too Many Requests: retry after ${retry_after}`, parameters: { retry_after } }));
        return;
      }
      windows.all.push(now);
      if (chat !== undefined) windows.byChat.get(chat)!.push(now);
      if (chat !== undefined && chat < 0) groupCalls.get(chat)?.push(now);
    }
    if (method === "copyMessage" || method === "copyMessages") {
      const from = Number(body.from_chat_id);
      const ids = (body.message_ids as number[] | undefined) ?? [Number(body.message_id)];
      for (const id of ids) {
        const s = sent.get(`${from}:${id}`);
        if (!s) continue;
        if (s.delivered !== undefined) {
          duplicates++;
          continue;
        }
        s.delivered = now;
        const key = `${s.case}:${s.direction}`;
        if ((lastSeq.get(key) ?? -1) >= s.seq) violations++;
        lastSeq.set(key, s.seq);
      }
    }
    const response = await (tg.fetch as unknown as (url: string, init: { body: string }) => Promise<Response>)(`x/${method}`, { body: JSON.stringify(body) });
    res.setHeader("content-type", "application/json");
    res.end(await response.text());
  });
  await listen(api);
  const apiRoot = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

  // ── two instances, one Redis ─────────────────────────────────────────────
  const limits = compressed(TELEGRAM_LIMITS, SCALE);
  const handoff = parseHandoffConfig(`ru,uk:${GROUPS[0]};*:${GROUPS[1]}`, undefined, 60, 24, "en");
  const instances = await Promise.all(
    [0, 1].map(async () => {
      const u = new URL(redisUrl);
      u.pathname = "/15";
      const kv = new RedisStore(u.toString());
      await kv.connect();
      const deps = buildDeps({ kv, secret: "busy-hour-pseudonym-secret".padEnd(40, "x"), webhook: true, throttle: true, limits, handoff, logLevel: "silent", metrics: new Metrics(), floodLimit: 10_000 });
      const bot = createBot(deps, { token: "123456:BUSY-hour", client: { apiRoot } });
      await bot.init();
      const http = createHttpServer({ bot, deps, webhook: { path: "/hook", secret: SECRET, timeoutMs: 30_000 } });
      await listen(http);
      return { kv, deps, http, port: (http.address() as AddressInfo).port };
    }),
  );
  await instances[0]!.kv.client.flushdb();
  for (const i of instances) i.deps.handoff!.start();

  // ── Telegram's side of the webhook: one update per chat at a time, spread over the instances ──
  let nextInstance = 0;
  let webhookFailures = 0;
  const chains = new Map<number, Promise<void>>();
  const deliver = (chat: number, update: Update) => {
    const run = (chains.get(chat) ?? Promise.resolve()).then(async () => {
      const port = instances[nextInstance++ % instances.length]!.port;
      for (let attempt = 0; attempt < 5; attempt++) {
        const status = await post(port, update);
        if (status === 200) return;
        webhookFailures++;
      }
    });
    chains.set(chat, run);
    return run;
  };

  // ── the hour ─────────────────────────────────────────────────────────────
  const rand = random(20261203);
  const start = simNow();
  const people = Array.from({ length: PEOPLE }, (_, i) => new Person(tg, { id: 700_000 + i, first_name: `B${i}`, language_code: i % 2 ? "ru" : "en" }));
  const operators = GROUPS.map((g, i) => new Operator(tg, g, { id: 800_000 + i, first_name: `W${i}` }));
  const en = instances[0]!.deps.i18n;
  const cases: { person: Person; group: number; code: string; thread: number }[] = [];
  // People arrive over the first two simulated minutes and ask for a person.
  await Promise.all(
    people.map(async (p, i) => {
      await sleep(realMs((i * 120) / PEOPLE));
      const t = en.getFixedT(p.profile.language_code === "ru" ? "ru" : "en");
      // A person reads each screen for a few seconds before pressing on.
      await deliver(p.profile.id, p.text("/start"));
      await sleep(realMs(3));
      await deliver(p.profile.id, p.press(t("button.talk")));
      await sleep(realMs(5));
      await deliver(p.profile.id, p.press(t("handoff.connect")));
    }),
  );
  // Workers take each case once its card is there.
  for (const p of people) {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const screen = tg.lastBotMessage(p.profile.id)?.text ?? "";
      const found = GROUPS.flatMap((g) => [...(tg.topics.get(g) ?? new Map()).entries()].map(([thread, topic]) => ({ g, thread, code: /#(\w{6})/.exec(topic.name)?.[1] ?? "" })))
        .find((x) => x.code && screen.includes(x.code) && tg.inTopic(x.g, x.thread).length > 0);
      if (found) {
        cases.push({ person: p, group: found.g, code: found.code, thread: found.thread });
        await deliver(found.g, operators[GROUPS.indexOf(found.g)]!.press(`v1:op:take:${found.code}`, found.thread));
        break;
      }
      await sleep(20);
    }
  }
  // Everyone writes until the hour is over.
  const writers = cases.flatMap((c, index) =>
    (["in", "out"] as const).map(async (direction) => {
      for (let seq = 0; ; seq++) {
        await sleep(realMs(-Math.log(1 - rand()) * MEAN_GAP_S));
        if (simNow() - start > SIM_HOUR_S) return;
        const text = `case ${index} ${direction} ${seq}`;
        const update = direction === "in" ? c.person.text(text) : operators[GROUPS.indexOf(c.group)]!.text(text, c.thread);
        const message = (update as { message: { message_id: number } }).message;
        const from = direction === "in" ? c.person.profile.id : c.group;
        sent.set(`${from}:${message.message_id}`, { case: index, direction, seq, at: simNow() });
        await deliver(from, update);
      }
    }),
  );
  await Promise.all(writers);
  // What is still queued goes out (up to 15 simulated minutes).
  for (const until = simNow() + 900; simNow() < until && [...sent.values()].some((s) => s.delivered === undefined); ) await sleep(50);

  const delaysOf = (direction?: string) =>
    [...sent.values()].filter((s) => s.delivered !== undefined && (!direction || s.direction === direction)).map((s) => s.delivered! - s.at).sort((a, b) => a - b);
  const quantile = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
  const delays = delaysOf();
  const q = (p: number) => quantile(delays, p);
  const perMinuteMax = Math.max(...[...groupCalls.values()].map((calls) => Math.max(0, ...calls.map((at) => calls.filter((x) => x >= at && x < at + 60).length))));
  console.log(`busy_hour_cases: ${cases.length}`);
  console.log(`webhook_failures: ${webhookFailures}`);
  console.log(`relay_messages: ${sent.size}`);
  console.log(`relay_order_violations: ${violations + duplicates}`);
  console.log(`relay_duplicates: ${duplicates}`);
  console.log(`relay_lost: ${[...sent.values()].filter((s) => s.delivered === undefined).length}`);
  console.log(`telegram_429s: ${tooMany}`);
  console.log(`relay_p50_s: ${q(0.5).toFixed(1)}`);
  console.log(`relay_p99_s: ${q(0.99).toFixed(1)}`);
  // Into a group, a busy case waits its turn among the group's cases: one call per 3 s, so with every case
  // writing, a case's turn comes round every (cases in the group × 3 s). That is the limit's own floor for p99.
  console.log(`relay_into_group_p50_s: ${quantile(delaysOf("in"), 0.5).toFixed(1)}`);
  console.log(`relay_into_group_p99_s: ${quantile(delaysOf("in"), 0.99).toFixed(1)}`);
  console.log(`relay_to_person_p50_s: ${quantile(delaysOf("out"), 0.5).toFixed(1)}`);
  console.log(`relay_to_person_p99_s: ${quantile(delaysOf("out"), 0.99).toFixed(1)}`);
  console.log(`relay_group_turn_floor_s: ${((PEOPLE / GROUPS.length) * TELEGRAM_LIMITS.groupIntervalMs) / 1000}`);
  console.log(`group_msgs_per_min_max: ${perMinuteMax}`);
  console.log(`busy_hour_time_scale: ${SCALE}`);

  for (const i of instances) await i.deps.handoff!.stop();
  for (const i of instances) {
    await new Promise((r) => i.http.close(r));
    await i.kv.client.flushdb();
    await i.kv.close();
  }
  await new Promise((r) => api.close(r));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => resolve(data));
  });
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
}

function post(port: number, update: Update): Promise<number> {
  return new Promise((resolve) => {
    const body = JSON.stringify(update);
    const req = request(
      { port, host: "127.0.0.1", path: "/hook", method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET, "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}
