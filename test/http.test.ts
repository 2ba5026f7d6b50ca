import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { WEBHOOK_BODY_LIMIT, createHttpServer } from "../src/http/server";
import { MemoryStore } from "../src/store/memory";
import { ALICE, harness, type Harness } from "./helpers/harness";

const SECRET = "s3cret-token-for-tests";
let h: Harness;
let server: ReturnType<typeof createHttpServer>;
let base: string;

const METRICS_TOKEN = "metrics-token-for-tests";

async function start(options: Parameters<typeof harness>[0] = {}, metricsToken: string | null = METRICS_TOKEN) {
  h = await harness({ webhook: true, ...options });
  server = createHttpServer({ bot: h.bot, deps: h.deps, webhook: { path: "/telegram/hook", secret: SECRET, timeoutMs: 5000 }, metricsToken: metricsToken ?? undefined });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  await new Promise((r) => server.close(r));
});

const post = (body: unknown, secret?: string) =>
  fetch(`${base}/telegram/hook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}) },
    body: JSON.stringify(body),
  });

test("the webhook refuses a request without Telegram's secret token", async () => {
  await start();
  const p = h.person();
  expect((await post(p.text("/start"))).status).toBe(401);
  expect((await post(p.text("/start"), "wrong-secret-wrong-secret")).status).toBe(401);
  expect(h.tg.methods()).not.toContain("sendMessage");
});

test("an update posted with the secret is answered before the response, and a redelivery is dropped", async () => {
  await start();
  const p = h.person();
  const update = p.text("/start");
  expect((await post(update, SECRET)).status).toBe(200);
  expect(h.tg.methods().filter((m) => m === "sendMessage")).toHaveLength(1);
  expect((await post(update, SECRET)).status).toBe(200);
  expect(h.tg.methods().filter((m) => m === "sendMessage")).toHaveLength(1);
});

test("/healthz, /readyz and /metrics", async () => {
  await start();
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ store: true, bot: true });
  await post(new (await import("../src/cli/local-telegram")).Person(h.tg, ALICE).text("/start riga2026-lv"), SECRET);
  const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  expect(metrics).toMatch(/helpline_updates_total\{kind="message"\} 1/);
  expect(metrics).toMatch(/helpline_start_total\{campaign="riga2026",lang="lv"\} 1/);
  expect(metrics).toMatch(/helpline_update_seconds_bucket/);
  expect(metrics).toMatch(/helpline_telegram_calls_total\{method="sendMessage",outcome="ok"\} 1/);
  for (const secret of [String(ALICE.id), ALICE.first_name, ALICE.username!]) expect(metrics).not.toContain(secret);
  expect((await fetch(`${base}/nope`)).status).toBe(404);
});

test("in webhook mode /metrics needs its token: 401 with a wrong one, not served at all without METRICS_TOKEN", async () => {
  await start();
  expect((await fetch(`${base}/metrics`)).status).toBe(401);
  expect((await fetch(`${base}/metrics`, { headers: { authorization: "Bearer metrics-token-for-test" } })).status).toBe(401);
  await new Promise((r) => server.close(r));
  await start({}, null);
  expect((await fetch(`${base}/metrics`)).status).toBe(404);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
});

test("/readyz says 503 while the store cannot be reached", async () => {
  const down = Object.assign(new MemoryStore(), { ping: async () => false });
  await start({ kv: down });
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ store: false, bot: true });
});

describe("webhook input that is not an update", () => {
  const raw = (body: string | Blob, secret = SECRET) =>
    fetch(`${base}/telegram/hook`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret }, body });

  test.each([
    ["invalid JSON", "{not json"],
    ["an empty body", ""],
    ["null", "null"],
    ["binary junk", new Blob([new Uint8Array([0xff, 0xfe, 0x00, 0x13, 0x37])])],
    ["an array", "[]"],
    ["a string", '"hello"'],
    ["an object without update_id", '{"message": {}}'],
    ["a text update_id", '{"update_id": "7"}'],
  ])("%s gets 400, no handling and no error-level log", async (_what, body) => {
    await start();
    const response = await raw(body);
    expect(response.status).toBe(400);
    expect(h.tg.methods()).toEqual([]);
    expect(h.logs.join("")).toContain('"event":"webhook_refused"');
    expect(h.logs.join("")).not.toMatch(/"level":(50|60)/);
  });

  /** Streams `total` bytes in 64 KiB chunks; resolves with the status as soon as the server answers. */
  function streamBody(total: number, headers: Record<string, string>) {
    return new Promise<{ status: number; sent: number }>((resolve, reject) => {
      const url = new URL(`${base}/telegram/hook`);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "content-type": "application/json", ...headers } });
      let sent = 0;
      req.on("response", (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      });
      req.on("error", (error) => (sent < total ? undefined : reject(error)));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
  }

  test("a body over the limit is refused with 413 while it streams, without being buffered", async () => {
    await start();
    const { status, sent } = await streamBody(10 * 1024 * 1024, { "x-telegram-bot-api-secret-token": SECRET });
    expect(status).toBe(413);
    expect(sent).toBeLessThan(10 * 1024 * 1024);
    expect(h.tg.methods()).toEqual([]);
  });

  test("a declared length over the limit is refused before a byte is read", async () => {
    await start();
    const response = await fetch(`${base}/telegram/hook`, {
      method: "POST",
      headers: { "x-telegram-bot-api-secret-token": SECRET, "content-length": String(WEBHOOK_BODY_LIMIT + 1) },
      body: "x".repeat(WEBHOOK_BODY_LIMIT + 1),
    });
    expect(response.status).toBe(413);
  });

  test("without the secret nothing is read: 401 while the body is still coming", async () => {
    await start();
    const { status, sent } = await streamBody(10 * 1024 * 1024, {});
    expect(status).toBe(401);
    expect(sent).toBeLessThan(10 * 1024 * 1024);
  });
});
