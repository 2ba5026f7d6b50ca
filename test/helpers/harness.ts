import { Writable } from "node:stream";
import type { Update } from "grammy/types";
import { createBot } from "../../src/bot";
import { BOT_INFO, LocalTelegram, Person, plain, type PersonProfile } from "../../src/cli/local-telegram";
import { buildDeps, type DepsOptions } from "../../src/deps";
import { RedisStore } from "../../src/store/redis";

/** A recognisable person: the privacy tests search Redis and the logs for each of these. */
export const ALICE: PersonProfile = {
  id: 987654321,
  first_name: "Zhanargul",
  last_name: "Quokkawitz",
  username: "zhanargul_q_1999",
  language_code: "en",
};

let nextId = 100_000;
export function profile(language_code?: string): PersonProfile {
  nextId += 1;
  return { id: nextId, first_name: `P${nextId}`, ...(language_code ? { language_code } : {}) };
}

/** The real bot with Telegram faked at client.fetch; logs captured as JSON lines. */
export async function harness(options: DepsOptions = {}) {
  const tg = new LocalTelegram();
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  // Tests walk many screens quickly: flood control is tested on its own (test/faults.test.ts).
  // The relay sends at once (no pacing, no album window): tests await handoff.drain() where order matters.
  const limits = { secondMs: 1000, perSecond: Infinity, groupIntervalMs: 0, personIntervalMs: 0, albumWindowMs: 0 };
  const deps = buildDeps({ logLevel: "debug", logDestination, floodLimit: 10_000, limits, ...options });
  const bot = createBot(deps, { botInfo: BOT_INFO, client: { fetch: tg.fetch } });
  await bot.init();
  /** Handles an update, then lets the operators' relay send what it queued (in production its loop does so at once). */
  const handle = async (update: Update) => {
    await bot.handleUpdate(update);
    await deps.handoff?.drain();
  };
  const person = (p: PersonProfile = profile("en")) => new Person(tg, p);
  /** The text of the newest bot message in a chat, without HTML. */
  const screen = (chatId: number) => plain(tg.lastBotMessage(chatId)?.text ?? "");
  const buttons = (chatId: number) => (tg.lastBotMessage(chatId)?.keyboard ?? []).flat().map((b) => b.text);
  return { tg, deps, bot, handle, person, screen, buttons, logs };
}

export type Harness = Awaited<ReturnType<typeof harness>>;

/** A RedisStore on its own database (one per test file), emptied; undefined when no Redis is available. */
export async function testRedis(db: number): Promise<RedisStore | undefined> {
  const url = process.env.TEST_REDIS_URL;
  if (!url) return undefined;
  const u = new URL(url);
  u.pathname = `/${db}`;
  const store = new RedisStore(u.toString());
  await store.connect();
  await store.client.flushdb();
  return store;
}

export const describeWithRedis = process.env.TEST_REDIS_URL ? describe : describe.skip;

/** Answers "no" (and "Continue" at a pause) until the open self-check shows its result. */
export async function finishCheck(h: Harness, p: Person, lang = "en"): Promise<void> {
  const t = h.deps.i18n.getFixedT(lang);
  for (let guard = 0; guard < 60; guard++) {
    if (!(await h.deps.sessions.read(h.deps.keys.pseudonym("chat", p.profile.id)))?.screening) return;
    const shown = h.buttons(p.profile.id);
    await h.handle(p.press(shown.includes(t("screening.continue")) ? t("screening.continue") : t("screening.answer.no")));
  }
  throw new Error("the check did not end");
}
