import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import { KEY_PREFIX, type KeyValueStore } from "./kv";

/** Aggregate counters are the only thing that outlives a conversation: kept ~13 months. */
const COUNTER_TTL_SECONDS = 400 * 86_400;

export type CounterLabels = Record<string, string | number>;

/**
 * Day-bucketed aggregate counters (e.g. "screening_result|lang=kk|track=offer|tier=2").
 * Labels are small closed sets (language, track, tier, campaign code): never an
 * id, a name or a text. A counter that cannot be written is logged and dropped:
 * statistics never get in the way of answering a person.
 */
export class Counters {
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
   * Counts in the background: the person's answer never waits for statistics.
   * (The memory store counts synchronously, so tests see the count at once.)
   */
  bump(name: string, labels?: CounterLabels, by = 1): void {
    this.metrics?.event(name, labels, by);
    const day = this.now().toISOString().slice(0, 10);
    this.kv.incr(Counters.hashFor(day), Counters.field(name, labels), COUNTER_TTL_SECONDS, by).catch(() => {
      this.log.warn({ event: "counter_dropped", counter: name });
    });
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
    return this.kv.readHash(Counters.hashFor(day));
  }
}
