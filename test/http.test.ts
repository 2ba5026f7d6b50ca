import type { AddressInfo } from "node:net";
import { createHttpServer } from "../src/http/server";
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
