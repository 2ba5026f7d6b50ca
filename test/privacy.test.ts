import { PrivacyKeys } from "../src/privacy/keys";
import { MemoryStore } from "../src/store/memory";

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
    await store.incr("h", "f", 10);
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
