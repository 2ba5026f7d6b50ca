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
  /** Lists, for queues: push at the tail (or head), pop from the head. */
  push(key: string, value: string, ttlSeconds: number, atHead?: boolean): Promise<void>;
  pop(key: string): Promise<string | undefined>;
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
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** All keys live under one prefix so an operator can see (and SCAN) what the bot keeps. */
export const KEY_PREFIX = "hb:";
