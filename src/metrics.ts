import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { CounterLabels } from "./store/counters";

/**
 * Buckets for minutes-scale waits (a person waiting for a hotline worker), in
 * seconds: 10 s … 1 h. The day's aggregate histograms in the store use the same
 * bounds, so /stats and /metrics agree.
 */
export const CASE_WAIT_BUCKETS = [10, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 2700, 3600] as const;

/**
 * Prometheus metrics, aggregate only: update kinds, handling time, errors by
 * kind, Telegram calls by method and outcome, and the bot's named events
 * (starts by campaign, checks by language/track/tier …). Never an id or a text.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly updates = new Counter({ name: "helpline_updates_total", help: "Updates handled, by kind", labelNames: ["kind"], registers: [this.registry] });
  readonly handling = new Histogram({
    name: "helpline_update_seconds",
    help: "Time to handle one update",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly errors = new Counter({ name: "helpline_errors_total", help: "Errors caught by the error boundary, by kind", labelNames: ["kind"], registers: [this.registry] });
  readonly telegramCalls = new Counter({
    name: "helpline_telegram_calls_total",
    help: "Calls to the Bot API (each attempt, retries included), by method and outcome",
    labelNames: ["method", "outcome"],
    registers: [this.registry],
  });
  /** How long a person waits for a hotline worker, and then for the worker's first words (see features/handoff/case-metrics.ts). */
  readonly timeToTake = new Histogram({
    name: "helpline_case_time_to_take_seconds",
    help: "From a case opened to a worker taking it, by operators' group and language",
    labelNames: ["group", "lang"],
    buckets: [...CASE_WAIT_BUCKETS],
    registers: [this.registry],
  });
  readonly timeToFirstReply = new Histogram({
    name: "helpline_case_time_to_first_reply_seconds",
    help: "From a worker taking a case to their first message to the person, by operators' group and language",
    labelNames: ["group", "lang"],
    buckets: [...CASE_WAIT_BUCKETS],
    registers: [this.registry],
  });
  private readonly events = new Map<string, Counter<string>>();

  constructor(withProcessMetrics = false) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** A named event with a small, closed set of labels (see Counters). */
  event(name: string, labels: CounterLabels = {}, by = 1): void {
    this.counter(name, Object.keys(labels)).inc(Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])), by);
  }

  /**
   * Declares an event's counter before it first happens, each given set of
   * labels at zero: a fresh instance then exports it, which dashboards need
   * (a counter created on first use is missing until then).
   */
  declare(name: string, labelNames: string[], zeroes: CounterLabels[] = [], help?: string): void {
    const counter = this.counter(name, labelNames, help);
    for (const labels of zeroes) counter.inc(Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])), 0);
  }

  private counter(name: string, labelNames: string[], help?: string): Counter<string> {
    const sorted = [...labelNames].sort();
    const key = `${name}|${sorted.join(",")}`;
    let counter = this.events.get(key);
    if (!counter) {
      counter = new Counter({ name: `helpline_${name}_total`, help: help ?? `Count of ${name.replace(/_/g, " ")}`, labelNames: sorted, registers: [this.registry] });
      this.events.set(key, counter);
    }
    return counter;
  }
}
