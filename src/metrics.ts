import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { CounterLabels } from "./store/counters";

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
  private readonly events = new Map<string, Counter<string>>();

  constructor(withProcessMetrics = false) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** A named event with a small, closed set of labels (see Counters). */
  event(name: string, labels: CounterLabels = {}, by = 1): void {
    const labelNames = Object.keys(labels).sort();
    const key = `${name}|${labelNames.join(",")}`;
    let counter = this.events.get(key);
    if (!counter) {
      counter = new Counter({ name: `helpline_${name}_total`, help: `Count of ${name.replace(/_/g, " ")}`, labelNames, registers: [this.registry] });
      this.events.set(key, counter);
    }
    counter.inc(Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])), by);
  }
}
