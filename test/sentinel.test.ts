import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import Redis from "ioredis";
import { plain } from "../src/cli/local-telegram";
import { createHttpServer } from "../src/http/server";
import { RedisStore } from "../src/store/redis";
import { ALICE, harness, type Harness } from "./helpers/harness";
import { waitFor } from "./helpers/wait";

/**
 * A real failover: a primary, a replica and one sentinel (Debian's
 * redis-server; `redis-server --sentinel` is a sentinel, or redis-sentinel
 * when it is on PATH), on free ports picked now, never 6379. Without a
 * redis-server on PATH the failover test reports itself skipped, except under
 * CI=true, where that fails. Every wait polls with a generous deadline: a
 * busy 2-core machine only makes it slower.
 */

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

const SERVER = onPath("redis-server");
const SENTINEL = onPath("redis-sentinel");
const MASTER_NAME = "mymaster";
const DEADLINE_MS = 30_000;

/** A port nobody listens on now: the kernel's pick for :0, released at once. */
async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    if (port !== 6379 && port !== 26379) return port;
  }
}

interface Node {
  name: string;
  port: number;
  child: ChildProcess;
  /** What the process printed, for the failure message. */
  output: string[];
  exited: Promise<void>;
}

const nodes: Node[] = [];
const clients: Redis[] = [];

function start(name: string, port: number, command: string, args: string[]): Node {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...String(chunk).split("\n").filter(Boolean));
    output.splice(0, Math.max(0, output.length - 40));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once("exit", () => resolve());
    child.once("error", (error) => {
      output.push(`spawn failed: ${error.message}`);
      resolve();
    });
  });
  const node = { name, port, child, output, exited };
  nodes.push(node);
  return node;
}

/** A plain client to one process, for the test's own questions (never the bot's). */
function direct(port: number): Redis {
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => 100, enableOfflineQueue: false });
  client.on("error", () => undefined);
  clients.push(client);
  return client;
}

/** waitFor, and on a time-out what each process printed last. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const safely = async () => {
    try {
      return await condition();
    } catch {
      return false;
    }
  };
  try {
    await waitFor(safely, what, DEADLINE_MS);
  } catch (error) {
    const printed = nodes.map((n) => `--- ${n.name} (:${n.port})\n${n.output.slice(-15).join("\n")}`).join("\n");
    throw new Error(`${(error as Error).message}\n${printed}`);
  }
}

function killAll(): void {
  for (const node of nodes) if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill("SIGKILL");
}
// Should jest's worker go away without afterAll, the servers still go with it.
process.once("exit", killAll);

const t = (h: Harness, key: string) => h.deps.i18n.getFixedT("en")(key);

if (!SERVER && process.env.CI === "true") {
  test("CI=true: a redis-server is on PATH for the failover test", () => {
    throw new Error("CI=true but no redis-server on PATH: .ci/run installs Debian's redis-server for this test");
  });
}

(SERVER ? describe : describe.skip)("Redis that fails over (Sentinel)", () => {
  let dir: string;
  let primary: Node;
  let replica: Node;
  let sentinel: Node;
  let store: RedisStore | undefined;
  let http: ReturnType<typeof createHttpServer> | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "helpline-sentinel-"));
    const [primaryPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
    const data = (name: string, port: number, extra: string[] = []) => {
      mkdirSync(join(dir, name));
      return start(name, port, SERVER!, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", join(dir, name), ...extra]);
    };
    primary = data("primary", primaryPort!);
    replica = data("replica", replicaPort!, ["--replicaof", "127.0.0.1", String(primaryPort)]);
    // A sentinel rewrites its configuration file, so it gets a writable one of its own.
    const conf = join(dir, "sentinel.conf");
    writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        "bind 127.0.0.1",
        `dir ${dir}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primaryPort} 1`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 5000`,
        `sentinel parallel-syncs ${MASTER_NAME} 1`,
        "",
      ].join("\n"),
    );
    sentinel = SENTINEL ? start("sentinel", sentinelPort!, SENTINEL, [conf]) : start("sentinel", sentinelPort!, SERVER!, [conf, "--sentinel"]);

    const toReplica = direct(replica.port);
    const toSentinel = direct(sentinel.port);
    await until(async () => {
      if (toReplica.status !== "ready") await toReplica.connect();
      return /master_link_status:up/.test(await toReplica.info("replication"));
    }, "the replica to sync with the primary");
    await until(async () => {
      if (toSentinel.status !== "ready") await toSentinel.connect();
      const replicas = (await toSentinel.call("SENTINEL", "REPLICAS", MASTER_NAME)) as string[][];
      // The sentinel has seen the replica and holds it fit to be promoted.
      return replicas.some((fields) => fields.includes(String(replica.port)) && /^slave$/.test(fields[fields.indexOf("flags") + 1] ?? ""));
    }, "the sentinel to know the replica");
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (http?.listening ? http.close(() => resolve()) : resolve()));
    http?.closeAllConnections();
    await store?.close();
    for (const client of clients) client.disconnect();
    killAll();
    await Promise.all(nodes.map((n) => n.exited));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("the primary dies mid-check: /readyz says 503 until Sentinel promotes the replica, never 200 while writes fail; then the same person's check goes on", async () => {
    store = new RedisStore({ sentinels: [{ host: "127.0.0.1", port: sentinel.port }], name: MASTER_NAME, db: 2 });
    await store.connect();
    const h = await harness({ kv: store, secret: "f".repeat(40) });
    http = createHttpServer({ bot: h.bot, deps: h.deps });
    await new Promise<void>((resolve) => http!.listen(0, "127.0.0.1", resolve));
    const readyz = async () => (await fetch(`http://127.0.0.1:${(http!.address() as AddressInfo).port}/readyz`)).status;
    expect(await readyz()).toBe(200);

    const p = h.person(ALICE);
    const chat = p.profile.id;
    const pseudonym = h.deps.keys.pseudonym("chat", chat);
    await h.handle(p.text("/start"));
    for (const label of [t(h, "button.check"), t(h, "screening.start"), t(h, "screening.track.situation"), t(h, "screening.option.LV"), t(h, "screening.option.18_24")]) {
      await h.handle(p.press(label));
    }
    expect(plain(h.tg.lastBotMessage(chat)!.text)).toContain(t(h, "screening.q.deceived.text"));
    expect((await h.deps.sessions.read(pseudonym))?.screening).toBeDefined();

    // The replica has everything the primary acknowledged: the session is not lost with the primary.
    const toPrimary = direct(primary.port);
    await toPrimary.connect();
    await until(async () => Number(await toPrimary.call("WAIT", "1", "2000")) >= 1, "the replica to acknowledge the session");
    toPrimary.disconnect();

    const killedAt = Date.now();
    primary.child.kill("SIGKILL");
    await primary.exited;

    // Poll /readyz; after each answer, try a write the way the bot writes.
    const seen: { status: number; writes: boolean }[] = [];
    const poll = async () => {
      const status = await readyz();
      const writes = await store!.set("hb:test:failover-probe", Buffer.from("x"), 60).then(
        () => true,
        () => false,
      );
      seen.push({ status, writes });
      return status === 200;
    };
    await until(poll, "/readyz to say 200 after the failover");
    const failoverMs = Date.now() - killedAt;
    const untilFirst200 = seen.length;
    // The store may reach the new primary a moment before the sentinel announces the switch
    // (+switch-master), and then reconnects once more: wait for the announcement, then for 200.
    const toSentinel = direct(sentinel.port);
    await toSentinel.connect();
    await until(async () => {
      const fields = (await toSentinel.call("SENTINEL", "MASTER", MASTER_NAME)) as string[];
      const field = (name: string) => fields[fields.indexOf(name) + 1];
      return field("port") === String(replica.port) && !/failover_in_progress/.test(field("flags") ?? "");
    }, "the sentinel to finish the failover");
    await until(poll, "/readyz to say 200 after the switch");
    expect(await toSentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)).toEqual(["127.0.0.1", String(replica.port)]);

    expect(seen.filter((s) => s.status === 200 && !s.writes)).toEqual([]);
    expect(seen.every((s) => s.status === 200 || s.status === 503)).toBe(true);
    // 503 while no primary was reachable (unless the failover beat the first poll).
    if (untilFirst200 > 1) expect(seen[0]!.status).toBe(503);

    // The same person's next answer is taken where the check was: the next question, not "expired".
    await h.handle(p.press(t(h, "screening.answer.no")));
    expect(plain(h.tg.lastBotMessage(chat)!.text)).toContain(t(h, "screening.q.pay_kept.text"));
    expect((await h.deps.sessions.read(pseudonym))?.screening).toBeDefined();

    const logs = h.logs.join("");
    for (const secret of [String(ALICE.id), ALICE.first_name, ALICE.username!]) expect(logs).not.toContain(secret);
    console.log(`failover: /readyz 200 again ${failoverMs} ms after the kill; ${seen.length} polls, ${seen.filter((s) => s.status === 503).length} said 503 (${seen.length - untilFirst200} after the first 200)`);
  });
});

describe("a Sentinel set that cannot be reached", () => {
  test("connect() gives up after a few seconds (ioredis alone would wait for ever), ping says false, the store keeps trying until closed", async () => {
    const port = await freePort();
    const store = new RedisStore({ sentinels: [{ host: "127.0.0.1", port }], name: MASTER_NAME });
    try {
      const started = Date.now();
      await expect(store.connect()).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
      expect(await store.ping()).toBe(false);
      expect(store.client.status).not.toBe("end");
    } finally {
      await store.close();
    }
    // Closed, it stops asking: its retry loop ends at its next turn.
    await waitFor(() => store.client.status === "end", "the closed store to stop trying", DEADLINE_MS);
  });

  test("a connection to a demoted primary reconnects on READONLY; the sentinels are watched for a switch of the primary", () => {
    const store = new RedisStore({ sentinels: [{ host: "127.0.0.1", port: 1 }], name: MASTER_NAME, password: "pw", db: 3 });
    const options = store.client.options;
    expect(options.reconnectOnError?.(new Error("READONLY You can't write against a read only replica."))).toBe(true);
    expect(options.reconnectOnError?.(new Error("WRONGTYPE Operation against a key holding the wrong kind of value"))).toBe(false);
    expect(options).toMatchObject({ role: "master", failoverDetector: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, enableAutoPipelining: true, db: 3 });
    expect(typeof options.sentinelRetryStrategy === "function" && options.sentinelRetryStrategy(100)).toBe(2000);
    store.client.disconnect();
  });
});
