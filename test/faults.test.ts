import { createServer, type Server, type Socket, connect } from "node:net";
import type { AddressInfo } from "node:net";
import { plain } from "../src/cli/local-telegram";
import { RedisStore } from "../src/store/redis";
import { describeWithRedis, harness, profile, testRedis, type Harness } from "./helpers/harness";
import { waitFor } from "./helpers/wait";

const t = (h: Harness, key: string, lang = "en") => h.deps.i18n.getFixedT(lang)(key);

describe("Telegram failing", () => {
  test("a 429 is waited out and the answer still arrives", async () => {
    const h = await harness();
    const p = h.person();
    h.tg.fail("sendMessage", 429, "Too Many Requests: retry after 1", { retry_after: 1 });
    await h.handle(p.text("/start"));
    expect(h.tg.calls.filter((c) => c.method === "sendMessage")).toHaveLength(2);
    expect(h.screen(p.profile.id)).toContain(t(h, "menu.title"));
  });

  test("a 500 is retried with backoff and the answer still arrives", async () => {
    const h = await harness();
    const p = h.person();
    h.tg.fail("sendMessage", 500, "Internal Server Error");
    await h.handle(p.text("/start"));
    expect(h.screen(p.profile.id)).toContain(t(h, "menu.title"));
  });

  test("a 403 (the person blocked the bot) ends that person's state quietly", async () => {
    const h = await harness();
    const p = h.person();
    await h.handle(p.text("/start"));
    await h.handle(p.press(t(h, "button.help")));
    await h.handle(p.press(t(h, "country.UA")));
    h.tg.fail("editMessageText", 403, "Forbidden: bot was blocked by the user");
    h.tg.fail("sendMessage", 403, "Forbidden: bot was blocked by the user", { times: 5 });
    await expect(h.handle(p.press(t(h, "button.menu")))).resolves.toBeUndefined();
    expect(await h.deps.sessions.read(h.deps.keys.pseudonym("chat", p.profile.id))).toBeUndefined();
    expect(h.logs.join("")).toContain("blocked_by_person");
    expect(h.logs.join("")).not.toContain("handler_error");
  });

  test("a 400 on a stale message is handled quietly: the screen comes as a new message", async () => {
    const h = await harness();
    const p = h.person();
    await h.handle(p.text("/start"));
    h.tg.fail("editMessageText", 400, "Bad Request: message to edit not found");
    h.tg.fail("answerCallbackQuery", 400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
    await h.handle(p.press(t(h, "button.topics")));
    expect(h.screen(p.profile.id)).toContain(t(h, "topics.menu_title").replace(/<\/?b>/g, "").split("\n")[0]);
    expect(h.logs.join("")).not.toContain("handler_error");
  });
});

describe("flood", () => {
  test("one person sending many messages is slowed; others are not; urgent words always get through", async () => {
    const h = await harness({ floodLimit: 5 });
    const flooder = h.person();
    const other = h.person(profile("ru"));
    for (let i = 0; i < 30; i++) await h.handle(flooder.text(`spam ${i}`));
    const answers = h.tg.calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === flooder.profile.id);
    expect(answers.length).toBe(6); // five answers and one "please slow down"
    expect(String(answers[5]?.payload.text)).toContain(t(h, "fallback.slow_down"));

    await h.handle(other.text("/start"));
    expect(h.screen(other.profile.id)).toContain(t(h, "menu.title", "ru"));

    await h.handle(flooder.text("they took my passport"));
    expect(h.tg.lastBotMessage(flooder.profile.id)?.text).toContain(t(h, "urgent.ack.danger"));
  });
});

/** What a test opened; closed after it, passed or failed, so nothing keeps jest alive. */
const opened: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close().catch(() => undefined);
});

/** A TCP proxy in front of Redis that a test can cut and restore. */
async function cuttableProxy(target: URL, db = 12) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => server!.listen(port, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  };
  await listen();
  opened.push(() => new Promise<void>((r) => (server?.listening ? server.close(() => r()) : r())).then(() => sockets.forEach((s) => s.destroy())));
  return {
    url: () => `redis://127.0.0.1:${port}/${db}`,
    cut: async () => {
      await new Promise<void>((r) => {
        server!.close(() => r());
        for (const s of sockets) s.destroy();
      });
    },
    restore: listen,
  };
}

describeWithRedis("Redis down and back", () => {
  test("the bot keeps answering what needs no state, says the rest is briefly unavailable, and recovers by itself", async () => {
    const direct = await testRedis(12);
    await direct!.close();
    const proxy = await cuttableProxy(new URL(process.env.TEST_REDIS_URL!));
    const redis = new RedisStore(proxy.url());
    opened.push(() => redis.close());
    await redis.connect();
    const h = await harness({ kv: redis, secret: "r".repeat(40) });
    const p = h.person(profile("uk"));
    const uk = (key: string) => t(h, key, "uk");
    await h.handle(p.text("/start"));
    await h.handle(p.press(uk("button.help")));
    await h.handle(p.press(uk("country.UA")));
    expect(await redis.ping()).toBe(true);

    await proxy.cut();
    await waitFor(async () => !(await redis.ping()), "Redis to be unreachable");
    await h.handle(p.text("/help"));
    expect(h.tg.visible(p.profile.id).some((m) => m.from === "bot" && m.text.includes("1547"))).toBe(true);
    await h.handle(p.text("/menu"));
    await h.handle(p.press(uk("button.check")));
    expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(uk("state_unavailable"));
    expect(h.logs.join("")).toContain("store_unavailable");

    await proxy.restore();
    await waitFor(() => redis.ping(), "Redis to be reachable again");
    // The country chosen before the outage is still there: nothing given on purpose was lost.
    await h.handle(p.text("/menu"));
    await h.handle(p.press(uk("button.help")));
    expect(h.screen(p.profile.id)).toContain("1547");
    await h.handle(p.press(uk("button.menu")));
    await h.handle(p.press(uk("button.check")));
    expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(uk("screening.intro"));
  });
});

describeWithRedis("Redis down in the middle of the self-check", () => {
  test("every step says the check is briefly out of reach, with the help numbers, and the same press works once Redis is back", async () => {
    const direct = await testRedis(14);
    await direct!.close();
    const proxy = await cuttableProxy(new URL(process.env.TEST_REDIS_URL!), 14);
    const redis = new RedisStore(proxy.url());
    opened.push(() => redis.close());
    await redis.connect();
    const h = await harness({ kv: redis, secret: "r".repeat(40) });
    const p = h.person();
    const chat = p.profile.id;
    await h.handle(p.text("/start"));
    for (const label of [t(h, "button.check"), t(h, "screening.start"), t(h, "screening.track.situation"), t(h, "screening.option.LV"), t(h, "screening.option.18_24")]) {
      await h.handle(p.press(label));
    }
    const question = h.tg.lastBotMessage(chat)!;
    expect(plain(question.text)).toContain(t(h, "screening.q.deceived.text"));
    const no = p.press(t(h, "screening.answer.no"));

    await proxy.cut();
    await waitFor(async () => !(await redis.ping()), "Redis to be unreachable");
    for (const update of [no, p.press(t(h, "screening.back")), p.press(t(h, "screening.pause"))]) {
      await h.handle(update);
      const last = h.tg.lastBotMessage(chat)!;
      expect(last.text).toContain(t(h, "screening.unavailable"));
      expect(last.text).toContain("112");
      expect(last.text).not.toContain(t(h, "screening.expired"));
    }
    // The question is still on screen with its buttons.
    expect(h.tg.visible(chat).find((m) => m.message_id === question.message_id)?.keyboard).toEqual(question.keyboard);

    await proxy.restore();
    await waitFor(() => redis.ping(), "Redis to be reachable again");
    await h.handle({ ...no, update_id: h.tg.newUpdateId() });
    expect(plain(h.tg.lastBotMessage(chat)!.text)).toContain(t(h, "screening.q.pay_kept.text"));
  });
});

describe("watchdog", () => {
  test("one stuck update does not silence the chat: the next update is answered after the time limit", async () => {
    const h = await harness({ updateTimeoutMs: 300 });
    const p = h.person();
    h.tg.hang("sendMessage");
    const stuck = h.handle(p.text("/start"));
    await h.handle(p.text("/menu"));
    expect(h.screen(p.profile.id)).toContain(t(h, "menu.title"));
    expect(h.logs.join("")).toContain("update_watchdog");
    h.tg.release();
    await stuck;
  });
});

describe("errors of any shape", () => {
  test("Telegram errors without a description: a stale screen is sent anew, a failing send gets the apology, nothing crashes", async () => {
    const h = await harness();
    const p = h.person();
    await h.handle(p.text("/start"));
    h.tg.fail("editMessageText", 400, undefined);
    await h.handle(p.press(t(h, "button.topics")));
    expect(h.screen(p.profile.id)).toContain("Learn about risks");
    h.tg.fail("sendMessage", 400, undefined);
    await expect(h.handle(p.text("/menu"))).resolves.toBeUndefined();
    expect(h.screen(p.profile.id)).toContain(t(h, "error.apology").split("(")[0]!.trim());
    expect(h.logs.join("")).toContain('"event":"handler_error"');
  });

  test.each([null, undefined, "a thrown string with a person's words", 42, { description: 5 }, Object.create(null)])(
    "describeError(%p) says what kind of error it was and never repeats its content",
    async (thrown) => {
      const { describeError } = await import("../src/errors");
      const described = describeError(thrown);
      expect(described.kind).toBe("unknown");
      expect(JSON.stringify(described)).not.toMatch(/person|words/);
    },
  );

  test("a feature that throws null gets the apology and the help numbers", async () => {
    const h = await harness();
    const p = h.person();
    await h.handle(p.text("/start"));
    jest.spyOn(h.deps.sessions, "save").mockImplementationOnce(() => Promise.reject(null));
    // The session write failing is logged as a store problem; the person's answer is already out.
    await expect(h.handle(p.press(t(h, "button.help")))).resolves.toBeUndefined();
    jest.spyOn(h.deps.content.topics.topics, "find").mockImplementationOnce(() => {
      throw null;
    });
    await h.handle(p.press(t(h, "button.menu")));
    await h.handle(p.press(t(h, "button.topics")));
    await h.handle(p.press(t(h, "topics.job_offers.title")));
    expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain("112");
    expect(h.logs.join("")).toContain('"kind":"unknown","type":"null"');
  });
});
