import { waitFor } from "./helpers/wait";
import { PrivacyKeys } from "../src/privacy/keys";
import { SessionStore } from "../src/store/session";
import type { RedisStore } from "../src/store/redis";
import { ALICE, describeWithRedis, finishCheck, harness, testRedis } from "./helpers/harness";

/** Every key and every value in the test database, as text. */
async function dump(redis: RedisStore): Promise<{ key: string; ttl: number; value: string }[]> {
  const out: { key: string; ttl: number; value: string }[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.client.scan(cursor, "COUNT", 200);
    cursor = next;
    for (const key of keys) {
      const type = await redis.client.type(key);
      const value =
        type === "hash"
          ? JSON.stringify(await redis.client.hgetall(key))
          : type === "list"
            ? JSON.stringify(await redis.client.lrange(key, 0, -1))
            : type === "zset"
              ? JSON.stringify(await redis.client.zrange(key, "0", "-1", "WITHSCORES"))
              : type === "stream"
                ? JSON.stringify(await redis.client.xrange(key, "-", "+"))
                : ((await redis.client.getBuffer(key)) ?? Buffer.alloc(0)).toString("latin1");
      out.push({ key, ttl: await redis.client.ttl(key), value });
    }
  } while (cursor !== "0");
  return out;
}

describeWithRedis("Redis store", () => {
  let redis: RedisStore;
  beforeAll(async () => {
    redis = (await testRedis(11))!;
  });
  afterAll(async () => {
    await redis.close();
  });

  test("sessions are sealed under a pseudonymous key with the configured TTL", async () => {
    const keys = new PrivacyKeys("x".repeat(40));
    const store = new SessionStore(redis, keys, 1800);
    const pseudonym = keys.pseudonym("chat", 123456789);
    await store.write(pseudonym, { lang: "kk", messages: [5, 6], country: "KZ" });
    const key = store.key(pseudonym);
    expect(key).toMatch(/^hb:s:[A-Za-z0-9_-]{22}$/);
    expect(key).not.toContain("123456789");
    const raw = (await redis.client.getBuffer(key))!.toString("latin1");
    expect(raw).not.toMatch(/kk|KZ|messages/);
    expect(await redis.client.ttl(key)).toBeGreaterThan(1790);
    expect(await store.read(pseudonym)).toEqual({ lang: "kk", messages: [5, 6], country: "KZ" });
  });

  test("a sealed value moved to another person's key, or tampered with, is not accepted", async () => {
    const keys = new PrivacyKeys("y".repeat(40));
    const store = new SessionStore(redis, keys, 60);
    const a = keys.pseudonym("chat", 1);
    const b = keys.pseudonym("chat", 2);
    await store.write(a, { lang: "lv", messages: [] });
    const sealed = (await redis.client.getBuffer(store.key(a)))!;
    await redis.client.set(store.key(b), sealed, "EX", 60);
    expect(await store.read(b)).toBeUndefined();
    sealed.writeUInt8(sealed.readUInt8(sealed.length - 1) ^ 1, sealed.length - 1);
    await redis.client.set(store.key(a), sealed, "EX", 60);
    expect(await store.read(a)).toBeUndefined();
  });

  test("sessions expire by themselves", async () => {
    const keys = new PrivacyKeys("z".repeat(40));
    const store = new SessionStore(redis, keys, 1);
    await store.write("p", { messages: [] });
    expect(await redis.client.pttl(store.key("p"))).toBeLessThanOrEqual(1000);
    await waitFor(async () => (await store.read("p")) === undefined, "the session to expire");
  });

  test("single-flight locks and aggregate counters", async () => {
    expect(await redis.setIfAbsent("hb:lock:test", "1", 5)).toBe(true);
    expect(await redis.setIfAbsent("hb:lock:test", "1", 5)).toBe(false);
    await redis.incr("hb:c:test", { "start|lang=kk": 1 }, 100);
    await redis.incr("hb:c:test", { "start|lang=kk": 1, "start|lang=lv": 3 }, 100);
    expect(await redis.readHash("hb:c:test")).toEqual({ "start|lang=kk": 2, "start|lang=lv": 3 });
    expect(await redis.client.ttl("hb:c:test")).toBeGreaterThan(90);
  });

  test("a whole conversation leaves no id, name, username or text in Redis or the logs, and every key has a TTL", async () => {
    await redis.client.flushdb();
    const h = await harness({ kv: redis, secret: "s".repeat(40) });
    const t = h.deps.i18n.getFixedT("en");
    const p = h.person(ALICE);
    const said = ["My name is Zhanargul and my boss Quokkawitz took my passport", "please call me on +77011234567"];
    await h.handle(p.text("/start riga2026-en"));
    await h.handle(p.text(said[0]!));
    await h.handle(p.press(t("button.menu")));
    await h.handle(p.press(t("button.topics")));
    await h.handle(p.press(t("topics.documents.title")));
    await h.handle(p.text(said[1]!));
    await h.handle(p.press(t("button.check")));
    await h.handle(p.press(t("screening.start")));
    await h.handle(p.press(t("screening.track.situation")));
    for (const a of ["KZ", "18_24"]) await h.handle(p.press(t(`screening.option.${a}`)));
    for (let i = 0; i < 6; i++) await h.handle(p.press(t("screening.answer.yes")));

    // Mid-check: only sealed data; the answers are there, but only inside the seal.
    const mid = await h.deps.sessions.read(h.deps.keys.pseudonym("chat", ALICE.id));
    expect(Object.keys(mid?.screening?.answers ?? {})).toHaveLength(8);

    await finishCheck(h, p);
    const after = await h.deps.sessions.read(h.deps.keys.pseudonym("chat", ALICE.id));
    expect(after?.screening).toBeUndefined(); // no raw answer after the result
    expect(after?.summary?.tier).toBe(3);

    const entries = await dump(redis);
    expect(entries.length).toBeGreaterThan(0);
    const secrets = [String(ALICE.id), ALICE.first_name, ALICE.last_name!, ALICE.username!, "Zhanargul", "Quokkawitz", "77011234567", "passport"];
    for (const { key, ttl, value } of entries) {
      expect({ key, ttl: ttl > 0 }).toEqual({ key, ttl: true });
      for (const s of secrets) {
        expect({ key, found: key.includes(s) || value.includes(s) }).toEqual({ key, found: false });
      }
    }
    const logs = h.logs.join("\n");
    expect(logs.length).toBeGreaterThan(0);
    for (const s of secrets) expect({ secret: s, inLogs: logs.includes(s) }).toEqual({ secret: s, inLogs: false });

    await h.handle(p.press(t("button.quick_exit")));
    const left = await dump(redis);
    expect(left.filter((e) => e.key.startsWith("hb:s:"))).toEqual([]);
    expect(left.every((e) => e.key.startsWith("hb:c:"))).toBe(true); // only aggregate counters outlive the conversation
  });
});

describeWithRedis("handoff on Redis", () => {
  test("no plain chat id, name or text in Redis at any moment of a case, and every key has a TTL", async () => {
    const { parseHandoffConfig } = await import("../src/features/handoff/config");
    const { Operator } = await import("../src/cli/local-telegram");
    const redis = (await testRedis(13))!;
    const GROUP = -1001000000001;
    const h = await harness({ kv: redis, secret: "h".repeat(40), handoff: parseHandoffConfig(`*:${GROUP}`, undefined, 10, 24, "en") });
    const t = h.deps.i18n.getFixedT("en");
    const p = h.person(ALICE);
    const op = new Operator(h.tg, GROUP, { id: 4242, first_name: "Op" });
    const secrets = [String(ALICE.id), ALICE.first_name, ALICE.username!, "Quokkawitz", "my boss took my documents"];
    const check = async (moment: string) => {
      for (const { key, ttl, value } of await dump(redis)) {
        expect({ moment, key, ttl: ttl > 0 }).toEqual({ moment, key, ttl: true });
        for (const s of secrets) expect({ moment, key, found: key.includes(s) || value.includes(s) }).toEqual({ moment, key, found: false });
      }
    };
    try {
      await h.handle(p.text("/start"));
      await h.handle(p.press(t("button.talk")));
      await h.handle(p.press(t("handoff.connect")));
      await check("waiting");
      // A message queued for the group, checked before the queue drains.
      await h.bot.handleUpdate(p.text("my boss took my documents, Quokkawitz"));
      await check("queued");
      await h.deps.handoff!.drain();
      const rec = await h.deps.handoff!.cases.byPerson(h.deps.keys.pseudonym("chat", ALICE.id));
      await h.handle(op.press(`v1:op:take:${rec!.code}`));
      await check("taken");
      await h.handle(op.text("/close", rec!.thread!));
      await check("closed");
    } finally {
      await redis.close();
    }
  });
});
