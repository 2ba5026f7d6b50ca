import { createLogger } from "../src/logger";
import { PrivacyKeys } from "../src/privacy/keys";
import { Counters } from "../src/store/counters";
import { MemoryStore } from "../src/store/memory";
import { SESSION_REFRESH_SECONDS, SessionStore, emptySession } from "../src/store/session";
import { waitFor } from "./helpers/wait";

describe("pseudonyms and seals", () => {
  const keys = new PrivacyKeys("a-secret-that-is-long-enough-1234567890");

  test("a chat always has the same pseudonym, which hides its id", () => {
    const p = keys.pseudonym("chat", 987654321);
    expect(p).toBe(keys.pseudonym("chat", 987654321));
    expect(p).not.toBe(keys.pseudonym("chat", 987654322));
    expect(p).not.toContain("987654321");
    expect(p).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  test("another secret gives other pseudonyms (a stolen dump cannot be matched without it)", () => {
    expect(new PrivacyKeys("another-secret-that-is-long-enough-xx").pseudonym("chat", 1)).not.toBe(keys.pseudonym("chat", 1));
  });

  test("sealed data opens only with the same key and associated data", () => {
    const sealed = keys.seal('{"lang":"kk"}', "hb:s:a");
    expect(sealed.toString("latin1")).not.toContain("kk");
    expect(keys.open(sealed, "hb:s:a")).toBe('{"lang":"kk"}');
    expect(keys.open(sealed, "hb:s:b")).toBeUndefined();
    expect(new PrivacyKeys("x".repeat(40)).open(sealed, "hb:s:a")).toBeUndefined();
    expect(keys.open(Buffer.from("short"), "hb:s:a")).toBeUndefined();
  });
});

describe("memory store", () => {
  test("keys expire like Redis keys", async () => {
    let now = 1_000_000;
    const store = new MemoryStore(() => now);
    await store.set("k", Buffer.from("v"), 10);
    await store.incr("h", { f: 1 }, 10);
    expect((await store.get("k"))?.toString()).toBe("v");
    now += 9_999;
    expect(await store.readHash("h")).toEqual({ f: 1 });
    now += 1;
    expect(await store.get("k")).toBeUndefined();
    expect(await store.readHash("h")).toEqual({});
    expect(store.keys()).toEqual([]);
    await store.close();
  });

  test("setIfAbsent is single-flight until the key expires", async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    expect(await store.setIfAbsent("lock", "1", 5)).toBe(true);
    expect(await store.setIfAbsent("lock", "1", 5)).toBe(false);
    now += 5000;
    expect(await store.setIfAbsent("lock", "1", 5)).toBe(true);
    await store.close();
  });
});

describe("sessions over time", () => {
  const TTL = 1800;
  const setup = () => {
    const clock = { now: 1_700_000_000_000 };
    const kv = new MemoryStore(() => clock.now);
    const sessions = new SessionStore(kv, PrivacyKeys.ephemeral(), TTL, () => clock.now);
    return { clock, kv, sessions };
  };
  /** One update that changes nothing: read, then save as read. */
  const idleStep = async (sessions: SessionStore) => {
    const data = await sessions.read("p");
    if (!data) throw new Error("session gone");
    await sessions.save("p", data, JSON.stringify(data));
  };

  test("a session with no change is not rewritten within a minute, yet lasts at least ttl − 1 min after the last step", async () => {
    const { clock, kv, sessions } = setup();
    const written = jest.spyOn(kv, "set");
    await sessions.save("p", { ...emptySession(), lang: "kk" });
    const start = clock.now;
    clock.now += (SESSION_REFRESH_SECONDS - 1) * 1000;
    await idleStep(sessions);
    expect(written).toHaveBeenCalledTimes(1);
    clock.now = start + TTL * 1000 - 1;
    expect((await sessions.read("p"))?.lang).toBe("kk");
    clock.now = start + TTL * 1000;
    expect(await sessions.read("p")).toBeUndefined();
  });

  test("an unchanged session is rewritten once a minute old, and a change is written at once", async () => {
    const { clock, kv, sessions } = setup();
    const written = jest.spyOn(kv, "set");
    await sessions.save("p", emptySession());
    clock.now += SESSION_REFRESH_SECONDS * 1000;
    await idleStep(sessions);
    expect(written).toHaveBeenCalledTimes(2);
    const data = (await sessions.read("p"))!;
    const asRead = JSON.stringify(data);
    data.country = "LV";
    await sessions.save("p", data, asRead);
    expect(written).toHaveBeenCalledTimes(3);
    clock.now += (TTL - 1) * 1000;
    expect((await sessions.read("p"))?.country).toBe("LV");
  });
});

describe("aggregate counters", () => {
  test("gather in memory and reach the store in one write per day, in full when read", async () => {
    const kv = new MemoryStore();
    const writes = jest.spyOn(kv, "incr");
    const counters = new Counters(kv, createLogger("silent"));
    counters.bump("start", { lang: "kk", campaign: "none" });
    counters.bump("start", { campaign: "none", lang: "kk" });
    counters.bump("quick_exit");
    const hash = Counters.hashFor(counters.today());
    expect(await kv.readHash(hash)).toEqual({});
    expect(await counters.day(counters.today())).toEqual({ "start|campaign=none|lang=kk": 2, quick_exit: 1 });
    expect(writes).toHaveBeenCalledTimes(1);
    counters.bump("delete");
    // Written by itself a second later, without anyone reading.
    await waitFor(async () => (await kv.readHash(hash)).delete === 1, "the counters' own flush");
    expect(writes).toHaveBeenCalledTimes(2);
    await kv.close();
  });

  test("a store that fails drops the counts with a log line and never throws", async () => {
    const kv = new MemoryStore();
    jest.spyOn(kv, "incr").mockRejectedValue(new Error("down"));
    const lines: string[] = [];
    const counters = new Counters(kv, createLogger("warn", { write: (line: string) => void lines.push(line) }));
    counters.bump("start");
    await expect(counters.flush()).resolves.toBeUndefined();
    expect(lines.join()).toContain("counters_dropped");
    await kv.close();
  });
});

describe("error descriptions", () => {
  test("never carry quoted input into the logs", async () => {
    const { describeError } = await import("../src/errors");
    let error: unknown;
    try {
      JSON.parse("my passport was taken by Quokkawitz");
    } catch (e) {
      error = e;
    }
    expect(JSON.stringify(describeError(error))).not.toContain("Quokkawitz");
  });
});
