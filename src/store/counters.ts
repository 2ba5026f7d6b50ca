import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import { KEY_PREFIX, type KeyValueStore } from "./kv";

/** Aggregate counters are the only thing that outlives a conversation: kept ~13 months. */
const COUNTER_TTL_SECONDS = 400 * 86_400;
/** Counts gather in memory this long, then go to the store in one round trip. */
const FLUSH_AFTER_MS = 1000;

export type CounterLabels = Record<string, string | number>;

/**
 * Day-bucketed aggregate counters (e.g. "screening_result|lang=kk|track=offer|tier=2").
 * Labels are small closed sets (language, track, tier, campaign code): never an
 * id, a name or a text. A counter that cannot be written is logged and dropped:
 * statistics never get in the way of answering a person.
 */
export class Counters {
  /** Not yet written: day hash → field → count. */
  private pending = new Map<string, Map<string, number>>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly kv: KeyValueStore,
    private readonly log: Logger,
    private readonly metrics?: Metrics,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static hashFor(day: string): string {
    return `${KEY_PREFIX}c:${day}`;
  }

  static field(name: string, labels: CounterLabels = {}): string {
    const parts = Object.keys(labels)
      .sort()
      .map((k) => `${k}=${labels[k]}`);
    return [name, ...parts].join("|");
  }

  /**
   * Counts in the background: the person's answer never waits for statistics,
   * and a busy second costs the store one write per day bucket, not one per event.
   */
  bump(name: string, labels?: CounterLabels, by = 1): void {
    this.metrics?.event(name, labels, by);
    this.keep(name, labels, by);
  }

  /**
   * Counts in the day hash only, without a Prometheus counter of the same name:
   * for figures /metrics shows another way (the buckets of a histogram).
   */
  keep(name: string, labels?: CounterLabels, by = 1): void {
    const hash = Counters.hashFor(this.today());
    const field = Counters.field(name, labels);
    let fields = this.pending.get(hash);
    if (!fields) this.pending.set(hash, (fields = new Map()));
    fields.set(field, (fields.get(field) ?? 0) + by);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
      this.flushTimer.unref();
    }
  }

  /** Writes what was counted since the last flush (also before reading, and at shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    await Promise.all(
      [...batch].map(([hash, fields]) =>
        this.kv.incr(hash, Object.fromEntries(fields), COUNTER_TTL_SECONDS).catch(() => {
          this.log.warn({ event: "counters_dropped", fields: fields.size });
        }),
      ),
    );
  }

  /** One counter summed over all its labels, from a day's counts. */
  static total(counts: Record<string, number>, name: string): number {
    return Object.entries(counts)
      .filter(([field]) => field === name || field.startsWith(`${name}|`))
      .reduce((sum, [, value]) => sum + value, 0);
  }

  today(): string {
    return this.now().toISOString().slice(0, 10);
  }

  async day(day: string): Promise<Record<string, number>> {
    await this.flush();
    return this.kv.readHash(Counters.hashFor(day));
  }
}
