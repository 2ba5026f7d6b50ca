import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { LocalTelegram, Person } from "../src/cli/local-telegram";
import { waitFor } from "./helpers/wait";

/**
 * `npm start` as a process, against a local fake Bot API (TELEGRAM_API_ROOT):
 * it registers its commands, answers a /start by long polling, serves
 * /healthz, and stops cleanly on SIGTERM.
 */
test("the bot starts by long polling, answers, reports health, and exits 0 on SIGTERM (before its 10 s grace ends)", async () => {
  const tg = new LocalTelegram();
  const person = new Person(tg, { id: 31337, first_name: "T", language_code: "en" });
  const pending = [person.text("/start")];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      const method = (req.url ?? "").split("/").pop() ?? "";
      if (method === "getUpdates") {
        const updates = pending.splice(0);
        if (!updates.length) await new Promise((r) => setTimeout(r, 200));
        return res.end(JSON.stringify({ ok: true, result: updates }));
      }
      const answer = await tg.fetch(`http://x/bot0/${method}`, { body: body || "{}" });
      res.setHeader("content-type", "application/json");
      res.end(await answer.text());
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const apiPort = (server.address() as AddressInfo).port;
  const httpPort = await freePort();

  const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "..", "src", "main.ts")], {
    env: { ...process.env, BOT_TOKEN: "123456:TEST-token", TELEGRAM_API_ROOT: `http://127.0.0.1:${apiPort}`, HTTP_PORT: String(httpPort), LOG_LEVEL: "info", REDIS_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  try {
    await waitFor(() => tg.methods().includes("sendMessage"), "the answer to /start");
    expect(tg.lastBotMessage(31337)?.text).toContain("What would you like to do?");
    expect(tg.methods()).toContain("setMyCommands");
    expect((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status).toBe(200);
    child.kill("SIGTERM");
    // Exit code 1 would mean the grace timer had to force the exit.
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(0);
    expect(output).toContain('"event":"stopped"');
    expect(output).not.toContain("31337");
  } finally {
    child.kill("SIGKILL");
    server.close();
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
