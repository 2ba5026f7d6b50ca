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
