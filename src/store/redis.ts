import Redis, { type RedisOptions } from "ioredis";
import type { Config } from "../config";
import type { KeyValueStore, StreamEntry } from "./kv";

/** Lua, so that checking the lease and acting on it are one step (fencing). */
const LEASE = `local v = redis.call("GET", KEYS[1])
if v == ARGV[1] then redis.call("PEXPIRE", KEYS[1], ARGV[2]) return 1 end
if not v then redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then redis.call("DEL", KEYS[1]) end return 0`;
const FENCED_XDEL = `if redis.call("GET", KEYS[2]) ~= ARGV[1] then return 0 end
redis.call("XDEL", KEYS[1], unpack(ARGV, 2))
return 1`;

/** A Sentinel set: ioredis asks the sentinels where the primary of `name` is. */
export interface SentinelTarget {
  sentinels: { host: string; port: number }[];
  /** The master group name sentinel.conf monitors, e.g. "mymaster". */
  name: string;
  /** For the data nodes (primary and replicas). */
  password?: string;
  sentinelPassword?: string;
  db?: number;
}

/** How long connect() waits at start before the store goes on trying in the background. */
const CONNECT_WAIT_MS = 5_000;

/** A connection to a primary that Sentinel has since demoted answers writes with READONLY. */
const isReadOnlyError = (error: Error): boolean => error.message.startsWith("READONLY");

/** Sentinel options that make ioredis follow the primary through a failover. */
function sentinelOptions(target: SentinelTarget): RedisOptions {
  return {
    sentinels: target.sentinels,
    name: target.name,
    // Only the primary takes writes: the ready check refuses a node whose INFO says it is a replica
    // (a sentinel that has not noticed the failover yet), and ioredis asks again.
    role: "master",
    ...(target.password ? { password: target.password } : {}),
    ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
    ...(target.db !== undefined ? { db: target.db } : {}),
    // While no sentinel answers, ask them all again, forever (null would end the client for good).
    sentinelRetryStrategy: (times) => Math.min(times * 200, 2000),
    // Listen for +switch-master on the sentinels and reconnect to the new primary at once, rather than
    // keep a connection to an old primary that is still up (a network split) until it is demoted.
    failoverDetector: true,
    // A demoted primary answers writes with READONLY: reconnect, which asks the sentinels where the primary is now.
    // The command itself fails (the person is told the state is briefly out of reach): resending one command of a
    // MULTI alone would be wrong.
    reconnectOnError: (error) => isReadOnlyError(error),
  };
}

/**
 * Redis behind the KeyValueStore interface. Commands fail fast while Redis is
 * unreachable (no offline queue), so the bot can answer what needs no state
 * instead of hanging; ioredis keeps reconnecting in the background. Commands
 * issued in the same tick (many people at once) go out in one write
 * (auto-pipelining): on the benchmark's 200 people that is fewer socket
 * writes and wake-ups of Redis, and a lower p99.
 */
export class RedisStore implements KeyValueStore {
  readonly kind = "redis" as const;
  readonly client: Redis;
  /** XREAD BLOCK holds its connection: it gets one of its own, opened when first needed. */
  private blocking?: Promise<Redis>;

  /** A redis:// URL for one Redis, or a Sentinel set (see `sentinelOptions`). */
  constructor(target: string | SentinelTarget) {
    const options: RedisOptions = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
      lazyConnect: true,
      enableAutoPipelining: true,
    };
    this.client = typeof target === "string" ? new Redis(target, options) : new Redis({ ...options, ...sentinelOptions(target) });
    // Connection errors are reported through ping()/readiness; without a listener
    // ioredis would print them as unhandled "error" events.
    this.client.on("error", () => undefined);
  }

  /**
   * Resolves once connected; rejects if Redis cannot be reached now (it goes on
   * trying in the background). While no sentinel answers, ioredis's own
   * connect() does not settle, so this gives up waiting after a few seconds.
   */
  async connect(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("Redis cannot be reached now")), CONNECT_WAIT_MS);
    });
    try {
      await Promise.race([this.client.connect(), giveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    return (await this.client.getBuffer(key)) ?? undefined;
  }

  async set(key: string, value: Buffer, ttlSeconds: number): Promise<void> {
    await this.client.set(key, value, "EX", ttlSeconds);
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return (await this.client.set(key, value, "EX", ttlSeconds, "NX")) === "OK";
  }

  async del(key: string): Promise<void> {
    await this.client.del(key);
  }

  async incr(hash: string, counts: Record<string, number>, ttlSeconds: number): Promise<void> {
    const tx = this.client.multi();
    for (const [field, by] of Object.entries(counts)) tx.hincrby(hash, field, by);
    await tx.expire(hash, ttlSeconds).exec();
  }

  async append(key: string, value: string, max: number, ttlSeconds: number): Promise<void> {
    await this.client.multi().rpush(key, value).ltrim(key, -max, -1).expire(key, ttlSeconds).exec();
  }

  async list(key: string): Promise<string[]> {
    return this.client.lrange(key, 0, -1);
  }

  async zadd(key: string, score: number, member: string, ttlSeconds: number): Promise<void> {
    await this.client.multi().zadd(key, score, member).expire(key, ttlSeconds).exec();
  }

  async zrem(key: string, member: string): Promise<void> {
    await this.client.zrem(key, member);
  }

  async zrange(key: string, limit = 1000): Promise<{ member: string; score: number }[]> {
    const flat = await this.client.zrange(key, "0", String(limit - 1), "WITHSCORES");
    const out: { member: string; score: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ member: String(flat[i]), score: Number(flat[i + 1]) });
    return out;
  }

  async readHash(hash: string): Promise<Record<string, number>> {
    const raw = await this.client.hgetall(hash);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  async streamAdd(key: string, value: string, ttlSeconds: number): Promise<string> {
    const [[error, id] = []] = (await this.client.multi().xadd(key, "*", "v", value).expire(key, ttlSeconds).exec()) ?? [];
    if (error) throw error;
    return String(id);
  }

  async streamHead(key: string, count: number): Promise<StreamEntry[]> {
    const entries = await this.client.xrange(key, "-", "+", "COUNT", count);
    return entries.map(([id, fields]) => ({ id, value: fields[1] ?? "" }));
  }

  async streamWait(streams: { key: string; after: string }[], timeoutMs: number): Promise<void> {
    try {
      this.blocking ??= (async () => {
        const connection = this.client.duplicate({ enableAutoPipelining: false });
        connection.on("error", () => undefined);
        await connection.connect();
        return connection;
      })();
      // While no primary can be found (a failover), connecting may not end: wait as long as asked, no longer.
      const connection = await Promise.race([this.blocking, new Promise<undefined>((r) => setTimeout(() => r(undefined), timeoutMs).unref())]);
      if (!connection) return;
      await connection.xread("BLOCK", Math.max(1, Math.round(timeoutMs)), "STREAMS", ...streams.map((s) => s.key), ...streams.map((s) => s.after));
    } catch {
      // Redis unreachable: wait as long as asked, the caller tries again.
      this.blocking = undefined;
      await new Promise((r) => setTimeout(r, timeoutMs).unref());
    }
  }

  async streamDelete(key: string, ids: string[], lease: string, owner: string): Promise<boolean> {
    if (!ids.length) return true;
    return (await this.client.eval(FENCED_XDEL, 2, key, lease, owner, ...ids)) === 1;
  }

  async lease(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.client.eval(LEASE, 1, key, owner, ttlMs)) === 1;
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    await this.client.eval(RELEASE, 1, key, owner);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    const blocking = this.blocking;
    this.blocking = undefined;
    if (blocking) (await blocking.catch(() => undefined))?.disconnect();
    try {
      await this.client.quit();
    } catch {
      // disconnect() below
    }
    // Also after quit(): with Sentinel, quit() leaves the failover detector's connections to the
    // sentinels open (ioredis issue #1362), and they would reconnect for ever; disconnect() closes them.
    this.client.disconnect();
  }
}

/** The store the configuration names (REDIS_URL or a Sentinel set); undefined when it names none. */
export function redisStoreFromConfig(
  config: Pick<Config, "REDIS_URL" | "REDIS_SENTINELS" | "REDIS_SENTINEL_NAME" | "REDIS_PASSWORD" | "REDIS_SENTINEL_PASSWORD" | "REDIS_DB">,
): RedisStore | undefined {
  if (config.REDIS_URL) return new RedisStore(config.REDIS_URL);
  if (config.REDIS_SENTINELS && config.REDIS_SENTINEL_NAME) {
    return new RedisStore({
      sentinels: config.REDIS_SENTINELS,
      name: config.REDIS_SENTINEL_NAME,
      password: config.REDIS_PASSWORD,
      sentinelPassword: config.REDIS_SENTINEL_PASSWORD,
      db: config.REDIS_DB,
    });
  }
  return undefined;
}
