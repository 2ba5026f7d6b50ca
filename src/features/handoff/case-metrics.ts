import type { BotDeps } from "../../context";
import { describeError } from "../../errors";
import type { TFunction } from "../../i18n";
import { LANGUAGES, type Lang } from "../../i18n/languages";
import { CASE_WAIT_BUCKETS } from "../../metrics";
import type { CaseRecord, CaseStore } from "./cases";
import { groupFor, type HandoffConfig } from "./config";

/**
 * The figures a hotline manager asks for, aggregate only, per day, operators'
 * group and language (the person's interface language):
 *
 * - cases opened, taken and closed, and closed by whom: the person ("person":
 *   /end, the end or cancel button), a worker ("operator"), quick exit or
 *   /delete ("exit"), or the person blocking the bot ("blocked"). A take
 *   timeout closes nothing (the person is told and may keep waiting), so it is
 *   no closer: a case the person leaves after that notice counts as abandoned
 *   with timed_out="true";
 * - abandoned: the person left before anyone took the case;
 * - outside hours: a case opened while its group was off shift;
 * - time to take (opened → a worker takes it) and time to first reply (taken →
 *   the worker's first message to the person, when it is queued: it measures
 *   the worker, not Telegram's pacing). Taken, not opened, is
 *   the start of the second: the person is told "a worker joined" at the take,
 *   so from then on they wait for a human word, and the two add up to the whole
 *   wait without counting the queue twice.
 *
 * Each goes to the day hash (Counters), which /stats reads across instances
 * and restarts, and to /metrics. The waits are histograms in both, with the
 * same bounds: in the day hash one counter per bucket (stored only), in
 * /metrics prom-client histograms. Labels are the group's label (its
 * languages, never its chat id) and the language: never a case code, an id or
 * a text. Statistics never get in the way of a case: nothing here throws.
 */

export type ClosedBy = "operator" | "person" | "exit" | "blocked";
const CLOSERS: readonly ClosedBy[] = ["person", "operator", "exit", "blocked"];
/** Ways the person leaves; a worker closing an untaken case (spam, a duplicate) is not abandonment. */
const LEAVERS: readonly ClosedBy[] = ["person", "exit", "blocked"];

/** Day-hash names of the two waits' bucket counters. */
const WAITS = { take: "case_time_to_take", reply: "case_time_to_first_reply" } as const;
type Wait = keyof typeof WAITS;

/** Group label for a case whose group is no longer configured (never its chat id). */
const UNKNOWN_GROUP = "unknown";

type Deps = Pick<BotDeps, "counters" | "metrics" | "log">;

export class CaseMetrics {
  constructor(
    private readonly deps: Deps,
    private readonly config: HandoffConfig,
    private readonly cases: CaseStore,
  ) {
    this.declare();
  }

  /** The group's label (e.g. "kk+ru"), as metrics and /stats name it. */
  groupLabel(chatId: number): string {
    return this.config.groups.find((g) => g.chatId === chatId)?.label ?? UNKNOWN_GROUP;
  }

  private labels(rec: CaseRecord) {
    return { group: this.groupLabel(rec.group), lang: rec.lang };
  }

  opened(rec: CaseRecord): void {
    const labels = this.labels(rec);
    this.deps.counters.bump("case_opened", { ...labels, urgent: String(rec.urgent) });
    const schedule = this.config.groups.find((g) => g.chatId === rec.group)?.schedule;
    // The person was shown "nobody is on shift now" (waitingScreen): they asked outside hours.
    if (schedule && !schedule.isOpen(new Date(rec.createdAt))) this.deps.counters.bump("case_outside_hours", labels);
  }

  /** After take() set rec.takenAt. */
  taken(rec: CaseRecord): void {
    const seconds = ((rec.takenAt ?? Date.now()) - rec.createdAt) / 1000;
    this.deps.counters.bump("case_taken", this.labels(rec));
    // The sum behind the person's "about N min" estimate (Handoff.expectedWaitMinutes).
    this.deps.counters.bump("case_wait_seconds", {}, Math.round(seconds));
    this.observe("take", rec, seconds);
  }

  /**
   * A worker's message (relayed, or a /say reply) went to the person: the
   * first one of the case is timed from the take, once. Re-read first, so a
   * case closed meanwhile is not brought back by saving it.
   */
  async firstReply(rec: CaseRecord, at = Date.now()): Promise<void> {
    if (rec.state !== "taken" || rec.takenAt === undefined || rec.firstReplyAt !== undefined) return;
    try {
      const current = await this.cases.get(rec.code);
      if (!current || current.state !== "taken" || current.takenAt === undefined || current.firstReplyAt !== undefined) return;
      current.firstReplyAt = rec.firstReplyAt = at;
      await this.cases.save(current);
      this.observe("reply", current, (at - current.takenAt) / 1000);
    } catch (error) {
      // Not counted: the next reply is timed instead (later, rather than twice).
      this.deps.log.warn({ event: "case_metrics_failed", step: "first_reply", error: describeError(error) });
    }
  }

  closed(rec: CaseRecord, by: ClosedBy): void {
    const labels = this.labels(rec);
    this.deps.counters.bump("case_closed", { ...labels, by });
    if (rec.takenAt === undefined && LEAVERS.includes(by)) {
      this.deps.counters.bump("case_abandoned", { ...labels, by, timed_out: String(Boolean(rec.timeoutNotified)) });
    }
  }

  /** The person was told nobody has taken the case within the take timeout (the case goes on). */
  timedOut(rec: CaseRecord): void {
    this.deps.counters.bump("case_timed_out", this.labels(rec));
  }

  private observe(wait: Wait, rec: CaseRecord, seconds: number): void {
    const labels = this.labels(rec);
    const value = Math.max(0, seconds);
    (wait === "take" ? this.deps.metrics.timeToTake : this.deps.metrics.timeToFirstReply).observe(labels, value);
    this.deps.counters.keep(WAITS[wait], { ...labels, le: bucketOf(value) });
  }

  /**
   * Every counter and histogram of a case, at zero for each group and language
   * a case can have, so that a fresh instance exports them (dashboards need
   * the series before the first case). Each language goes to one group, so
   * this is six label pairs.
   */
  private declare(): void {
    const m = this.deps.metrics;
    const pairs = LANGUAGES.flatMap((lang) => {
      const group = groupFor(this.config, lang);
      return group ? [{ group: group.label, lang }] : [];
    });
    /** Every label set of `base` with each combination of the `more` labels' values. */
    const times = (base: Record<string, string>[], more: Record<string, readonly string[]>) =>
      Object.entries(more).reduce((sets, [key, values]) => sets.flatMap((labels) => values.map((v) => ({ ...labels, [key]: v }))), base);
    m.declare("case_opened", ["group", "lang", "urgent"], times(pairs, { urgent: ["true", "false"] }), "Cases opened, by operators' group, language and urgency");
    m.declare("case_taken", ["group", "lang"], pairs, "Cases a worker took, by operators' group and language");
    m.declare("case_closed", ["by", "group", "lang"], times(pairs, { by: CLOSERS }), "Cases closed, by who closed them (person, operator, exit, blocked)");
    m.declare("case_abandoned", ["by", "group", "lang", "timed_out"], times(pairs, { by: LEAVERS, timed_out: ["true", "false"] }), "Cases the person left before anyone took them");
    m.declare("case_outside_hours", ["group", "lang"], pairs, "Cases opened while the group was off shift");
    m.declare("case_timed_out", ["group", "lang"], pairs, "Take-timeout notices (nobody took the case in time; it goes on)");
    m.declare("case_wait_seconds", [], [], "Sum of seconds from opened to taken");
    for (const labels of pairs) {
      m.timeToTake.zero(labels);
      m.timeToFirstReply.zero(labels);
    }
  }
}

// ── /stats ───────────────────────────────────────────────────────────────────

const INF = "+Inf";

/** The day-hash bucket of a wait: the smallest bound it is within, else +Inf. */
export function bucketOf(seconds: number): string {
  return String(CASE_WAIT_BUCKETS.find((bound) => seconds <= bound) ?? INF);
}

/** "name|k=v|k=v" → its name and labels. */
function parseField(field: string): { name: string; labels: Record<string, string> } {
  const [name = "", ...parts] = field.split("|");
  return { name, labels: Object.fromEntries(parts.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)])) };
}

/** A day's counts of one group, summed by name (and by the given label, for breakdowns). */
export class DayFigures {
  private readonly rows: { name: string; labels: Record<string, string>; value: number }[];

  constructor(counts: Record<string, number>, group: string) {
    this.rows = Object.entries(counts)
      .map(([field, value]) => ({ ...parseField(field), value }))
      .filter((row) => row.labels.group === group);
  }

  sum(name: string, where: Record<string, string> = {}): number {
    return this.rows
      .filter((r) => r.name === name && Object.entries(where).every(([k, v]) => r.labels[k] === v))
      .reduce((total, r) => total + r.value, 0);
  }

  values(name: string, label: string): string[] {
    return [...new Set(this.rows.filter((r) => r.name === name && r.labels[label] !== undefined).map((r) => r.labels[label]!))];
  }

  /** A wait's buckets (upper bound in seconds → count, not cumulative). */
  buckets(wait: Wait): Map<number, number> {
    const out = new Map<number, number>();
    for (const r of this.rows.filter((row) => row.name === WAITS[wait])) {
      const bound = r.labels.le === INF ? Infinity : Number(r.labels.le);
      if (!Number.isNaN(bound)) out.set(bound, (out.get(bound) ?? 0) + r.value);
    }
    return out;
  }
}

/**
 * The q-quantile of a bucketed histogram, as the upper bound of the bucket it
 * falls in (Infinity past the last bound); undefined when empty. The median of
 * waits in buckets "≤ 1 min: 2, ≤ 5 min: 1" is "≤ 1 min".
 */
export function quantileBound(buckets: Map<number, number>, q: number): number | undefined {
  const total = [...buckets.values()].reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bound of [...buckets.keys()].sort((a, b) => a - b)) {
    seen += buckets.get(bound) ?? 0;
    if (seen >= rank) return bound;
  }
  return Infinity;
}

/** "≤ 5 min", "≤ 30 s", "> 60 min", in the reader's language (Intl's units). */
export function formatBound(bound: number, lang: Lang): string {
  const unit = (value: number, u: "second" | "minute") => new Intl.NumberFormat(lang, { style: "unit", unit: u, unitDisplay: "short" }).format(value);
  const last = Math.max(...CASE_WAIT_BUCKETS);
  if (bound === Infinity) return `> ${unit(last / 60, "minute")}`;
  return bound < 60 ? `≤ ${unit(bound, "second")}` : `≤ ${unit(bound / 60, "minute")}`;
}

/**
 * Today's lines of /stats for one operators' group: counts, who closed,
 * abandoned, outside hours, the two waits (median and p90, from the day's
 * buckets), and a per-language line when the group serves several.
 */
export function statsLines(counts: Record<string, number>, group: string, t: TFunction, lang: Lang): string[] {
  const day = new DayFigures(counts, group);
  const lines = [
    t("operator.stats", { opened: day.sum("case_opened"), taken: day.sum("case_taken"), closed: day.sum("case_closed"), timed_out: day.sum("case_timed_out") }),
    t("operator.stats_closed_by", Object.fromEntries(CLOSERS.map((by) => [by, day.sum("case_closed", { by })]))),
    t("operator.stats_abandoned", { abandoned: day.sum("case_abandoned"), after_timeout: day.sum("case_abandoned", { timed_out: "true" }) }),
    t("operator.stats_outside_hours", { outside_hours: day.sum("case_outside_hours") }),
  ];
  for (const [wait, key] of [["take", "operator.stats_time_to_take"], ["reply", "operator.stats_first_reply"]] as const) {
    const buckets = day.buckets(wait);
    const cases = [...buckets.values()].reduce((a, b) => a + b, 0);
    const median = quantileBound(buckets, 0.5);
    const p90 = quantileBound(buckets, 0.9);
    if (cases && median !== undefined && p90 !== undefined) lines.push(t(key, { cases, median: formatBound(median, lang), p90: formatBound(p90, lang) }));
  }
  const langs = day.values("case_opened", "lang").sort((a, b) => LANGUAGES.indexOf(a as Lang) - LANGUAGES.indexOf(b as Lang));
  if (langs.length > 1) {
    const list = langs.map((l) => `${l} ${day.sum("case_opened", { lang: l })}/${day.sum("case_taken", { lang: l })}/${day.sum("case_abandoned", { lang: l })}`).join(" · ");
    lines.push(t("operator.stats_by_language", { list }));
  }
  return lines;
}
