/**
 * The small key-value surface the bot needs, implemented by a memory store
 * (single process, for `npm run chat`, tests and Redis-less starts) and by
 * Redis. Every write carries a TTL: nothing is kept forever.
 */
export interface KeyValueStore {
  readonly kind: "memory" | "redis";
  get(key: string): Promise<Buffer | undefined>;
  set(key: string, value: Buffer, ttlSeconds: number): Promise<void>;
  /** SET NX EX: true when this call created the key (single-flight locks, de-duplication). */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Adds to aggregate counter fields of a hash in one step, (re)setting the hash's TTL. */
  incr(hash: string, counts: Record<string, number>, ttlSeconds: number): Promise<void>;
  /** Appends to a list kept to its last `max` items (e.g. message ids), (re)setting its TTL. */
  append(key: string, value: string, max: number, ttlSeconds: number): Promise<void>;
  /** The whole list, oldest first. */
  list(key: string): Promise<string[]>;
  /** Sorted sets, for ordered queues and schedules. */
  zadd(key: string, score: number, member: string, ttlSeconds: number): Promise<void>;
  zrem(key: string, member: string): Promise<void>;
  /** Members with their scores, lowest score first, at most `limit`. */
  zrange(key: string, limit?: number): Promise<{ member: string; score: number }[]>;
  readHash(hash: string): Promise<Record<string, number>>;
  /**
   * Streams, for the relay: entries keep the order they were added in, across
   * instances, and stay until the lease holder deletes them once delivered.
   */
  streamAdd(key: string, value: string, ttlSeconds: number): Promise<string>;
  /** The oldest `count` entries. */
  streamHead(key: string, count: number): Promise<StreamEntry[]>;
  /** Resolves when an entry newer than `after` (an entry id, or "0-0") is in any of the streams, or after `timeoutMs`. */
  streamWait(streams: { key: string; after: string }[], timeoutMs: number): Promise<void>;
  /** Deletes delivered entries, only while `owner` still holds `lease` (fencing): false when it does not. */
  streamDelete(key: string, ids: string[], lease: string, owner: string): Promise<boolean>;
  /** Takes the lease or, when `owner` holds it already, renews it; false when someone else holds it. */
  lease(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (only when `owner` holds it), so another instance can take over at once. */
  releaseLease(key: string, owner: string): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface StreamEntry {
  id: string;
  value: string;
}

/** All keys live under one prefix so an operator can see (and SCAN) what the bot keeps. */
export const KEY_PREFIX = "hb:";
