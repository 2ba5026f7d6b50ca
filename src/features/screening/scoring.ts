import type { Condition, Screening, Track, YesNoQuestion } from "../../content/screening";

export type Tier = 1 | 2 | 3;

export interface ScreeningResult {
  tier: Tier;
  score: number;
  /** Scored questions answered "yes", in question order. */
  yes: string[];
  /** Scored questions answered "not sure", in question order. */
  unsure: string[];
  /** More than half of the scored questions were skipped. */
  skippedMany: boolean;
  child: boolean;
}

/** True when the age answer switches on the child rules. */
export function isChild(track: Track, answers: Record<string, string>): boolean {
  return track.questions.some((q) => q.kind === "choice" && q.child_options?.includes(answers[q.id] ?? ""));
}

/** Weight and KEY status of a question, with the child overrides applied. */
export function effective(q: YesNoQuestion, child: boolean): { weight: number; key: boolean } {
  return {
    weight: (child ? q.child?.weight : undefined) ?? q.weight,
    key: (child ? q.child?.key : undefined) ?? q.key ?? false,
  };
}

/** Scores a finished (or stopped) check. Pure: the rules are all in dialogs/screening.json. */
export function score(screening: Screening, track: Track, answers: Record<string, string>): ScreeningResult {
  const child = isChild(track, answers);
  const scored = track.questions.filter((q): q is YesNoQuestion => q.kind === "yes_no");
  const points = screening.points;
  let total = 0;
  for (const q of scored) {
    const a = answers[q.id] as keyof typeof points | undefined;
    total += effective(q, child).weight * (a && a in points ? points[a] : 0);
  }
  const is = (id: string, answer: string) => answers[id] === answer;
  const holds = (c: Condition): boolean => {
    if ("any" in c) return c.any.some(holds);
    if ("all" in c) return c.all.every(holds);
    if ("yes_on_key" in c) return scored.some((q) => effective(q, child).key && is(q.id, "yes"));
    if ("unsure_on_key" in c) return scored.some((q) => effective(q, child).key && is(q.id, "unsure"));
    if ("yes_on" in c) return c.yes_on.some((id) => is(id, "yes"));
    if ("yes_in_group" in c) return scored.filter((q) => q.group === c.yes_in_group && is(q.id, "yes")).length >= c.at_least;
    if ("score_at_least" in c) return total >= c.score_at_least;
    if ("child" in c) return child;
    return c.in.includes(answers[c.choice] ?? "");
  };
  const tier: Tier = track.tiers.find((t) => holds(t.when))?.tier ?? 1;
  const skipped = scored.filter((q) => answers[q.id] === undefined || is(q.id, "skip")).length;
  return {
    tier,
    score: total,
    yes: scored.filter((q) => is(q.id, "yes")).map((q) => q.id),
    unsure: scored.filter((q) => is(q.id, "unsure")).map((q) => q.id),
    skippedMany: skipped * 2 > scored.length,
    child,
  };
}
