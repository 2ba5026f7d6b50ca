import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { LocalTelegram, Person } from "../src/cli/local-telegram";
import { waitFor } from "./helpers/wait";

/**
 * `npm start` as a process, against a local fake Bot API (TELEGRAM_API_ROOT).
 */

/** A fake Bot API over HTTP; `answer` may replace the answer to a method (e.g. one it lacks). */
async function fakeBotApi(tg: LocalTelegram, pending: ReturnType<Person["text"]>[], answer: (method: string) => unknown = () => undefined) {
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      const method = (req.url ?? "").split("/").pop() ?? "";
      res.setHeader("content-type", "application/json");
      const replaced = answer(method);
      if (replaced !== undefined) return res.end(JSON.stringify(replaced));
      if (method === "getUpdates") {
        const updates = pending.splice(0);
        if (!updates.length) await new Promise((r) => setTimeout(r, 200));
        return res.end(JSON.stringify({ ok: true, result: updates }));
      }
      const reply = await tg.fetch(`http://x/bot0/${method}`, { body: body || "{}" });
      res.end(await reply.text());
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, root: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function startBot(env: Record<string, string>, httpPort: number) {
  const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "..", "src", "main.ts")], {
    env: { ...process.env, BOT_TOKEN: "123456:TEST-token", HTTP_PORT: String(httpPort), LOG_LEVEL: "info", REDIS_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { text: "" };
  child.stdout?.on("data", (c) => (out.text += c));
  child.stderr?.on("data", (c) => (out.text += c));
  return { child, out };
}

/** SIGTERM, then the exit code (1 would mean the 10 s grace timer had to force the exit). */
async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.on("exit", r));
  child.kill("SIGTERM");
  return exited;
}

test("the bot starts by long polling, answers, reports health, and exits 0 on SIGTERM", async () => {
  const tg = new LocalTelegram();
  const person = new Person(tg, { id: 31337, first_name: "T", language_code: "en" });
  const api = await fakeBotApi(tg, [person.text("/start")]);
  const httpPort = await freePort();
  const { child, out } = startBot({ TELEGRAM_API_ROOT: api.root }, httpPort);
  try {
    await waitFor(() => tg.methods().includes("sendMessage"), "the answer to /start");
    expect(tg.lastBotMessage(31337)?.text).toContain("What would you like to do?");
    expect(tg.methods()).toContain("setMyCommands");
    expect((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status).toBe(200);
    expect(await stop(child)).toBe(0);
    expect(out.text).toContain('"event":"stopped"');
    expect(out.text).not.toContain("31337");
  } finally {
    child.kill("SIGKILL");
    api.server.close();
  }
});

test("a Bot API that lacks setMyCommands and sends errors without a description does not stop the start", async () => {
  const tg = new LocalTelegram();
  const person = new Person(tg, { id: 31338, first_name: "T", language_code: "en" });
  // A self-hosted or emulated Bot API: {ok: false} with a code and nothing else.
  const api = await fakeBotApi(tg, [person.text("/start")], (method) => (method === "setMyCommands" || method === "deleteWebhook" ? { ok: false, error_code: 404 } : undefined));
  const { child, out } = startBot({ TELEGRAM_API_ROOT: api.root }, await freePort());
  try {
    await waitFor(() => tg.methods().includes("sendMessage"), "the answer to /start");
    expect(tg.lastBotMessage(31338)?.text).toContain("What would you like to do?");
    expect(out.text).toContain('"event":"startup_step_failed"');
    expect(out.text).not.toMatch(/TypeError|unhandled/);
    expect(await stop(child)).toBe(0);
  } finally {
    child.kill("SIGKILL");
    api.server.close();
  }
});

test("without a reachable Telegram the bot says so at once, keeps retrying, and serves /healthz and a 503 /readyz", async () => {
  const deadPort = await freePort(); // nothing listens there
  const httpPort = await freePort();
  const { child, out } = startBot({ TELEGRAM_API_ROOT: `http://127.0.0.1:${deadPort}` }, httpPort);
  try {
    await waitFor(() => out.text.includes('"event":"telegram_unreachable"'), "the unreachable line");
    const first = out.text.split("\n").find((line) => line.includes("telegram_unreachable")) ?? "";
    expect(JSON.parse(first)).toMatchObject({ attempt: 1, retry_in_s: 1, note: expect.stringContaining("keeps retrying") });
    expect((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ bot: false });
    await waitFor(() => out.text.includes('"attempt":2'), "a second attempt");
    expect(await stop(child)).toBe(0);
  } finally {
    child.kill("SIGKILL");
  }
});

/** A port free right now on every interface (as the bot listens): the system picks it for port 0. */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => probe.once("error", reject).listen(0, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
