import type { KeyValueStore, StreamEntry } from "./kv";

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * In-process store with the same TTL behaviour as Redis: an expired key is
 * gone for reads at once and swept from memory within a minute.
 */
export class MemoryStore implements KeyValueStore {
  readonly kind = "memory" as const;
  private readonly values = new Map<string, Entry<Buffer | string>>();
  private readonly hashes = new Map<string, Entry<Map<string, number>>>();
  private readonly lists = new Map<string, Entry<string[]>>();
  private readonly zsets = new Map<string, Entry<Map<string, number>>>();
  private readonly streams = new Map<string, Entry<StreamEntry[]>>();
  /** The last id of each stream, so ids keep growing after its entries are deleted (as in Redis). */
  private readonly lastIds = new Map<string, { ms: number; seq: number }>();
  private readonly streamWaiters = new Set<() => void>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  private live<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private sweep(): void {
    for (const map of [this.values, this.hashes, this.lists, this.zsets, this.streams] as Map<string, Entry<unknown>>[]) {
      for (const [key, entry] of map) if (entry.expiresAt <= this.now()) map.delete(key);
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    const value = this.live(this.values, key);
    return value === undefined ? undefined : Buffer.from(value);
  }

  async set(key: string, value: Buffer, ttlSeconds: number): Promise<void> {
    this.values.set(key, { value: Buffer.from(value), expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (this.live(this.values, key) !== undefined) return false;
    this.values.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    return true;
  }

  async del(key: string): Promise<void> {
    for (const map of [this.values, this.hashes, this.lists, this.zsets, this.streams] as Map<string, unknown>[]) map.delete(key);
  }

  async incr(hash: string, counts: Record<string, number>, ttlSeconds: number): Promise<void> {
    const fields = this.live(this.hashes, hash) ?? new Map<string, number>();
    for (const [field, by] of Object.entries(counts)) fields.set(field, (fields.get(field) ?? 0) + by);
    this.hashes.set(hash, { value: fields, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async append(key: string, value: string, max: number, ttlSeconds: number): Promise<void> {
    const list = this.live(this.lists, key) ?? [];
    list.push(value);
    if (list.length > max) list.splice(0, list.length - max);
    this.lists.set(key, { value: list, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async list(key: string): Promise<string[]> {
    return [...(this.live(this.lists, key) ?? [])];
  }

  async zadd(key: string, score: number, member: string, ttlSeconds: number): Promise<void> {
    const set = this.live(this.zsets, key) ?? new Map<string, number>();
    set.set(member, score);
    this.zsets.set(key, { value: set, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async zrem(key: string, member: string): Promise<void> {
    this.live(this.zsets, key)?.delete(member);
  }

  async zrange(key: string, limit = 1000): Promise<{ member: string; score: number }[]> {
    const set = this.live(this.zsets, key);
    if (!set) return [];
    return [...set]
      .map(([member, score]) => ({ member, score }))
      .sort((a, b) => a.score - b.score || a.member.localeCompare(b.member))
      .slice(0, limit);
  }

  async readHash(hash: string): Promise<Record<string, number>> {
    return Object.fromEntries(this.live(this.hashes, hash) ?? []);
  }

  async streamAdd(key: string, value: string, ttlSeconds: number): Promise<string> {
    const ms = this.now();
    // Ids as Redis makes them, per stream (so two streams can hold the same id): milliseconds, then a
    // sequence within the same millisecond.
    const last = this.lastIds.get(key);
    const next = !last || ms > last.ms ? { ms, seq: 0 } : { ms: last.ms, seq: last.seq + 1 };
    this.lastIds.set(key, next);
    const id = `${next.ms}-${next.seq}`;
    const entries = this.live(this.streams, key) ?? [];
    entries.push({ id, value });
    this.streams.set(key, { value: entries, expiresAt: this.now() + ttlSeconds * 1000 });
    for (const wake of [...this.streamWaiters]) wake();
    return id;
  }

  async streamHead(key: string, count: number): Promise<StreamEntry[]> {
    return (this.live(this.streams, key) ?? []).slice(0, count);
  }

  async streamWait(streams: { key: string; after: string }[], timeoutMs: number): Promise<void> {
    const ready = () => streams.some(({ key, after }) => (this.live(this.streams, key) ?? []).some((e) => compareIds(e.id, after) > 0));
    if (ready()) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.streamWaiters.delete(wake);
        resolve();
      };
      const wake = () => ready() && done();
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      this.streamWaiters.add(wake);
    });
  }

  async streamDelete(key: string, ids: string[], lease: string, owner: string): Promise<boolean> {
    if (this.live(this.values, lease)?.toString() !== owner) return false;
    const gone = new Set(ids);
    const entries = this.live(this.streams, key);
    if (entries) this.streams.get(key)!.value = entries.filter((e) => !gone.has(e.id));
    return true;
  }

  async lease(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const holder = this.live(this.values, key);
    if (holder !== undefined && holder.toString() !== owner) return false;
    this.values.set(key, { value: owner, expiresAt: this.now() + ttlMs });
    return true;
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    if (this.live(this.values, key)?.toString() === owner) this.values.delete(key);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  /** For tests and the privacy check: every key currently held. */
  keys(): string[] {
    this.sweep();
    return [...this.values.keys(), ...this.hashes.keys(), ...this.lists.keys(), ...this.zsets.keys(), ...this.streams.keys()];
  }
}

/** Orders stream ids ("ms-seq") as Redis does. */
function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split("-").map(Number);
  const [bm = 0, bs = 0] = b.split("-").map(Number);
  return am - bm || as - bs;
}
