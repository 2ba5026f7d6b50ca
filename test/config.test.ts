import { ConfigError, loadConfig } from "../src/config";

const TOKEN = "123456:ABC-def_ghi";

test("defaults: memory store, 30-minute sessions, English fallback", () => {
  expect(loadConfig({ BOT_TOKEN: TOKEN })).toMatchObject({ SESSION_TTL_SECONDS: 1800, DEFAULT_LANGUAGE: "en", LOG_LEVEL: "info", QUICK_EXIT_LINE: true });
});

test("every problem is listed in one readable message", () => {
  let message = "";
  try {
    loadConfig({ BOT_TOKEN: "nope", REDIS_URL: "redis://127.0.0.1:6379", SESSION_TTL_SECONDS: "5", DEFAULT_LANGUAGE: "de" });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    message = (error as Error).message;
  }
  expect(message).toMatch(/4 problem/);
  for (const name of ["BOT_TOKEN", "PSEUDONYM_SECRET", "SESSION_TTL_SECONDS", "DEFAULT_LANGUAGE"]) expect(message).toContain(name);
});

test("a short pseudonym secret is refused; empty values count as unset", () => {
  expect(() => loadConfig({ BOT_TOKEN: TOKEN, REDIS_URL: "redis://x:6379", PSEUDONYM_SECRET: "short" })).toThrow(/at least 32/);
  expect(loadConfig({ BOT_TOKEN: TOKEN, REDIS_URL: "" }).REDIS_URL).toBeUndefined();
});

describe("Redis Sentinel", () => {
  const SECRET = "p".repeat(40);
  const sentinel = { BOT_TOKEN: TOKEN, REDIS_SENTINELS: "10.0.0.5:26379, sentinel-2:26380,[fd00::7]:26381", REDIS_SENTINEL_NAME: "mymaster", PSEUDONYM_SECRET: SECRET };
  const problems = (env: NodeJS.ProcessEnv) => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error("the configuration was accepted");
  };

  test("the sentinels are parsed into addresses; passwords and the database are optional", () => {
    const config = loadConfig(sentinel);
    expect(config.REDIS_SENTINELS).toEqual([
      { host: "10.0.0.5", port: 26379 },
      { host: "sentinel-2", port: 26380 },
      { host: "fd00::7", port: 26381 },
    ]);
    expect(config).toMatchObject({ REDIS_SENTINEL_NAME: "mymaster" });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.REDIS_PASSWORD).toBeUndefined();
    expect(config.REDIS_DB).toBeUndefined();
    expect(loadConfig({ ...sentinel, REDIS_PASSWORD: "data-pw", REDIS_SENTINEL_PASSWORD: "sentinel-pw", REDIS_DB: "3" })).toMatchObject({
      REDIS_PASSWORD: "data-pw",
      REDIS_SENTINEL_PASSWORD: "sentinel-pw",
      REDIS_DB: 3,
    });
  });

  test("the list and the master group's name go together", () => {
    expect(problems({ ...sentinel, REDIS_SENTINEL_NAME: "" })).toMatch(/1 problem.*\n.*REDIS_SENTINEL_NAME is required when REDIS_SENTINELS is set/);
    expect(problems({ ...sentinel, REDIS_SENTINELS: undefined })).toMatch(/1 problem.*\n.*REDIS_SENTINELS is required when REDIS_SENTINEL_NAME is set/);
  });

  test("REDIS_URL and REDIS_SENTINELS together are refused: which one wins would be a guess", () => {
    const message = problems({ ...sentinel, REDIS_URL: "redis://127.0.0.1:6379" });
    expect(message).toMatch(/REDIS_URL and REDIS_SENTINELS are both set/);
    expect(message).toMatch(/REDIS_URL and REDIS_SENTINEL_NAME are both set/);
  });

  test("PSEUDONYM_SECRET is required with Sentinel as with REDIS_URL", () => {
    expect(problems({ ...sentinel, PSEUDONYM_SECRET: undefined })).toMatch(/1 problem.*\n.*PSEUDONYM_SECRET is required when REDIS_SENTINELS is set/);
    expect(problems({ ...sentinel, PSEUDONYM_SECRET: "short" })).toMatch(/PSEUDONYM_SECRET must be at least 32/);
  });

  test("a bad entry is named by its position, never by its text (it may hold a password)", () => {
    const message = problems({ ...sentinel, REDIS_SENTINELS: "10.0.0.5:26379,redis://:hunter2secret@10.0.0.6:26379,10.0.0.7:99999,nohost" });
    expect(message).toMatch(/3 problem/);
    for (const n of [2, 3, 4]) expect(message).toContain(`REDIS_SENTINELS entry ${n} of 4 is not host:port`);
    expect(message).not.toContain("hunter2");
    expect(problems({ ...sentinel, REDIS_SENTINELS: " , " })).toMatch(/REDIS_SENTINELS lists no sentinel/);
  });

  test("the data nodes' password, the sentinels' password and the database apply only with Sentinel", () => {
    const message = problems({ BOT_TOKEN: TOKEN, REDIS_URL: "redis://127.0.0.1:6379", PSEUDONYM_SECRET: SECRET, REDIS_PASSWORD: "pw-in-the-wrong-place", REDIS_SENTINEL_PASSWORD: "x", REDIS_DB: "2" });
    expect(message).toMatch(/3 problem/);
    for (const name of ["REDIS_PASSWORD", "REDIS_SENTINEL_PASSWORD", "REDIS_DB"]) expect(message).toContain(`${name} applies only with REDIS_SENTINELS`);
    expect(message).not.toContain("pw-in-the-wrong-place");
    expect(problems({ ...sentinel, REDIS_DB: "-1" })).toMatch(/REDIS_DB/);
    expect(problems({ ...sentinel, REDIS_SENTINEL_NAME: "my master" })).toMatch(/REDIS_SENTINEL_NAME must be the master group name/);
  });

  test("every problem is listed together with the Sentinel ones", () => {
    const message = problems({ BOT_TOKEN: "nope", REDIS_SENTINELS: "a:1,b", SESSION_TTL_SECONDS: "5" });
    expect(message).toMatch(/5 problem/);
    for (const part of ["BOT_TOKEN", "REDIS_SENTINELS entry 2 of 2", "SESSION_TTL_SECONDS", "REDIS_SENTINEL_NAME is required", "PSEUDONYM_SECRET is required when REDIS_SENTINELS"]) {
      expect(message).toContain(part);
    }
  });
});
