import type { Update } from "grammy/types";
import { createBot } from "../src/bot";
import { BOT_INFO, LocalTelegram, Operator, Person } from "../src/cli/local-telegram";
import { buildDeps } from "../src/deps";
import { parseHandoffConfig } from "../src/features/handoff/config";
import type { KeyValueStore } from "../src/store/kv";
import { MemoryStore } from "../src/store/memory";
import type { RedisStore } from "../src/store/redis";
import { describeWithRedis, harness, profile, testRedis } from "./helpers/harness";
import { waitFor } from "./helpers/wait";

const GROUP = -1001000000001;
const OPERATOR = { id: 555001, first_name: "Olena" };
const SECRET = "relay-test-secret-".padEnd(40, "x");

/** The store's side of the relay, the same for memory and Redis. */
function streamAndLeaseContract(name: string, store: () => KeyValueStore) {
  test(`${name}: a stream keeps order; only the lease holder deletes; a lease changes hands only when free`, async () => {
    const kv = store();
    const ids = [];
    for (const v of ["a", "b", "c"]) ids.push(await kv.streamAdd("hb:rs:test", v, 60));
    expect((await kv.streamHead("hb:rs:test", 10)).map((e) => e.value)).toEqual(["a", "b", "c"]);
    expect(await kv.lease("hb:lease:test", "one", 5_000)).toBe(true);
    expect(await kv.lease("hb:lease:test", "two", 5_000)).toBe(false);
    expect(await kv.lease("hb:lease:test", "one", 5_000)).toBe(true); // renewed
    // Fencing: the instance that does not hold the lease cannot delete what it (also) sent.
    expect(await kv.streamDelete("hb:rs:test", [ids[0]!], "hb:lease:test", "two")).toBe(false);
    expect(await kv.streamDelete("hb:rs:test", [ids[0]!], "hb:lease:test", "one")).toBe(true);
    expect((await kv.streamHead("hb:rs:test", 10)).map((e) => e.value)).toEqual(["b", "c"]);
    await kv.releaseLease("hb:lease:test", "two"); // not its lease: nothing happens
    expect(await kv.lease("hb:lease:test", "two", 5_000)).toBe(false);
    await kv.releaseLease("hb:lease:test", "one");
    expect(await kv.lease("hb:lease:test", "two", 5_000)).toBe(true);
    // A wait returns as soon as something newer than what was seen arrives.
    const waited = kv.streamWait([{ key: "hb:rs:test", after: ids[2]! }], 20_000);
    await kv.streamAdd("hb:rs:test", "d", 60);
    await waited;
    expect((await kv.streamHead("hb:rs:test", 10)).map((e) => e.value)).toEqual(["b", "c", "d"]);
    await kv.del("hb:rs:test");
    await kv.del("hb:lease:test");
  });
}

const memory = new MemoryStore();
afterAll(() => memory.close());
streamAndLeaseContract("memory", () => memory);

describeWithRedis("the relay with two instances sharing one Redis", () => {
  let stores: RedisStore[] = [];
  beforeAll(async () => {
    stores = [(await testRedis(10))!, (await testRedis(10))!];
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
  });

  streamAndLeaseContract("redis", () => stores[0]!);

  /** Two bots (as two webhook instances would be), one fake Telegram that stamps each call's time. */
  async function twoInstances(limits = { secondMs: 1000, perSecond: 1000, groupIntervalMs: 30, personIntervalMs: 10, albumWindowMs: 50 }) {
    const tg = new LocalTelegram();
    const sent: { method: string; chat: unknown; at: number; by: number }[] = [];
    const instances = await Promise.all(
      stores.map(async (kv, i) => {
        const deps = buildDeps({ kv, secret: SECRET, logLevel: "silent", floodLimit: 10_000, limits, handoff: parseHandoffConfig(`*:${GROUP}`, undefined, 10, 24, "en") });
        const fetch = ((url: string, init?: { body?: string }) => {
          const method = String(url).split("/").pop() ?? "";
          sent.push({ method, chat: init?.body ? JSON.parse(init.body).chat_id : undefined, at: Date.now(), by: i });
          return (tg.fetch as unknown as (u: string, i?: unknown) => Promise<Response>)(url, init);
        }) as unknown as typeof globalThis.fetch;
        const bot = createBot(deps, { botInfo: BOT_INFO, client: { fetch } });
        await bot.init();
        return { deps, bot, handoff: deps.handoff! };
      }),
    );
    for (const { handoff } of instances) handoff.start();
    return { tg, sent, instances };
  }

  test("a case's messages, both ways, arrive in the order they were sent, once each, whichever instance got them", async () => {
    const { tg, sent, instances } = await twoInstances();
    try {
      const p = new Person(tg, profile("en"));
      const op = new Operator(tg, GROUP, OPERATOR);
      const t = instances[0]!.deps.i18n.getFixedT("en");
      // Telegram sends a chat's updates one at a time, spread over the instances by the load balancer.
      const via = (i: number, update: Update) => instances[i % 2]!.bot.handleUpdate(update);
      await via(0, p.text("/start"));
      await via(1, p.press(t("button.talk")));
      await via(0, p.press(t("handoff.connect")));
      const rec = await instances[0]!.handoff.cases.byPerson(instances[0]!.deps.keys.pseudonym("chat", p.profile.id));
      await waitFor(async () => (await instances[0]!.handoff.cases.get(rec!.code))?.thread !== undefined, "the topic");
      const thread = (await instances[0]!.handoff.cases.get(rec!.code))!.thread!;

      const fromPerson = Array.from({ length: 20 }, (_, i) => `person ${i}`);
      for (const [i, text] of fromPerson.entries()) await via(i, p.text(text));
      await via(1, op.press(`v1:op:take:${rec!.code}`, thread));
      const fromWorker = Array.from({ length: 20 }, (_, i) => `worker ${i}`);
      for (const [i, text] of fromWorker.entries()) await via(i, op.text(text, thread));

      const inTopic = () => tg.inTopic(GROUP, thread).filter((m) => m.copyOf).map((m) => m.text);
      const toPerson = () => tg.visible(p.profile.id).filter((m) => m.copyOf).map((m) => m.text);
      await waitFor(() => inTopic().length >= fromPerson.length && toPerson().length >= fromWorker.length, "every message relayed", 30_000);
      expect(inTopic()).toEqual(fromPerson);
      expect(toPerson()).toEqual(fromWorker);
      // The "joined" notice came before the worker's first message.
      const person = tg.visible(p.profile.id).map((m) => m.text);
      expect(person.findIndex((x) => x.includes(t("handoff.joined").replace(/<[^>]+>/g, "").slice(0, 20)))).toBeLessThan(person.indexOf("worker 0"));

      // One instance led the group: every relayed call came from it, and never more than Telegram's
      // 20 a minute (here time runs 100 times faster: 20 in any 600 ms).
      const relayed = sent.filter((s) => ["copyMessage", "copyMessages", "createForumTopic"].includes(s.method));
      expect(new Set(relayed.map((s) => s.by)).size).toBe(1);
      const intoGroup = sent.filter((s) => s.chat === GROUP && s.method !== "getChatMember").map((s) => s.at);
      const busiest = Math.max(...intoGroup.map((at) => intoGroup.filter((x) => x >= at && x < at + 20 * 30).length));
      expect(busiest).toBeLessThanOrEqual(20);
      // Batching: fewer calls into the group than messages copied.
      expect(sent.filter((s) => s.chat === GROUP && s.method.startsWith("copyMessage")).length).toBeLessThanOrEqual(fromPerson.length);
    } finally {
      await Promise.all(instances.map((i) => i.handoff.stop()));
    }
  });

  test("when the leading instance stops, the other goes on where it stopped, losing nothing", async () => {
    const { tg, instances } = await twoInstances();
    const stopped = new Set<number>();
    try {
      const p = new Person(tg, profile("en"));
      const t = instances[0]!.deps.i18n.getFixedT("en");
      await instances[0]!.bot.handleUpdate(p.text("/start"));
      await instances[0]!.bot.handleUpdate(p.press(t("button.talk")));
      await instances[0]!.bot.handleUpdate(p.press(t("handoff.connect")));
      const code = (await instances[0]!.handoff.cases.byPerson(instances[0]!.deps.keys.pseudonym("chat", p.profile.id)))!.code;
      await waitFor(async () => (await instances[0]!.handoff.cases.get(code))?.thread !== undefined, "the topic");
      const thread = (await instances[0]!.handoff.cases.get(code))!.thread!;
      for (let i = 0; i < 5; i++) await instances[1]!.bot.handleUpdate(p.text(`before ${i}`));
      // Whichever leads stops now (giving up its lease); what is left is sent by the other.
      const leader = instances.findIndex((i) => i.handoff.leads(GROUP));
      await instances[leader]!.handoff.stop();
      stopped.add(leader);
      expect(stopped.size).toBe(1);
      const other = instances.find((_, i) => !stopped.has(i))!;
      for (let i = 0; i < 5; i++) await other.bot.handleUpdate(p.text(`after ${i}`));
      const inTopic = () => tg.inTopic(GROUP, thread).filter((m) => m.copyOf).map((m) => m.text);
      await waitFor(() => inTopic().length >= 10, "every message relayed", 30_000);
      expect(inTopic()).toEqual([...Array.from({ length: 5 }, (_, i) => `before ${i}`), ...Array.from({ length: 5 }, (_, i) => `after ${i}`)]);
    } finally {
      await Promise.all(instances.filter((_, i) => !stopped.has(i)).map((i) => i.handoff.stop()));
    }
  });
});

describe("delivery when Telegram refuses or makes the relay wait", () => {
  const config = () => parseHandoffConfig(`*:${GROUP}`, undefined, 10, 24, "en");

  test("a card Telegram refuses for good: the topic is deleted, the case removed, the person told", async () => {
    const h = await harness({ handoff: config() });
    const p = h.person();
    await h.handle(p.text("/start"));
    await h.handle(p.press(h.deps.i18n.getFixedT("en")("button.talk")));
    await h.bot.handleUpdate(p.press(h.deps.i18n.getFixedT("en")("handoff.connect")));
    // The case is queued for its topic and card; the card is refused.
    h.tg.fail("sendMessage", 400, "Bad Request: message thread not found");
    await h.deps.handoff!.drain();
    const topics = [...(h.tg.topics.get(GROUP)?.values() ?? [])];
    expect(topics.map((x) => x.deleted)).toEqual([true]);
    expect(await h.deps.handoff!.cases.byPerson(h.deps.keys.pseudonym("chat", p.profile.id))).toBeUndefined();
    expect(h.screen(p.profile.id)).toContain(h.deps.i18n.getFixedT("en")("handoff.unavailable_now"));
  });

  test("a wait longer than a webhook request may last (429, retry after 6 s) delays the card; nothing is dropped", async () => {
    const h = await harness({ handoff: config(), webhook: true });
    const p = h.person();
    await h.handle(p.text("/start"));
    await h.handle(p.press(h.deps.i18n.getFixedT("en")("button.talk")));
    h.tg.fail("createForumTopic", 429, "Too Many Requests: retry after 6", { retry_after: 6 });
    await h.handle(p.press(h.deps.i18n.getFixedT("en")("handoff.connect")));
    const rec = await h.deps.handoff!.cases.byPerson(h.deps.keys.pseudonym("chat", p.profile.id));
    expect(rec?.thread).toBeDefined();
    expect(h.tg.inTopic(GROUP, rec!.thread!)[0]?.text).toContain(rec!.code);
  }, 30_000);
});
