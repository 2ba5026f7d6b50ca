import type { Condition, Screening, Track, YesNoQuestion } from "../../content/screening";

export type Tier = 1 | 2 | 3;

export interface HeldRule {
  id: string;
  /** The questions answered "yes" (or "not sure", for rules about not sure) that made the rule hold. */
  signs: string[];
}

export interface ScreeningResult {
  tier: Tier;
  score: number;
  /** Scored questions answered "yes", in question order. */
  yes: string[];
  /** Scored questions answered "not sure", in question order. */
  unsure: string[];
  /** Every rule of the result's tier that holds, in the order of dialogs/screening.json: the result says each. */
  rules: HeldRule[];
  /** More than half of the scored questions were skipped. */
  skippedMany: boolean;
  /** At least half of the scored questions were answered "not sure". */
  unsureMany: boolean;
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
  const yes = scored.filter((q) => is(q.id, "yes")).map((q) => q.id);
  const unsure = scored.filter((q) => is(q.id, "unsure")).map((q) => q.id);
  const keys = scored.filter((q) => effective(q, child).key);
  /** The signs behind a condition when it holds; undefined when it does not. */
  const holds = (c: Condition): string[] | undefined => {
    if ("any" in c) {
      const held = c.any.map(holds).filter((s): s is string[] => s !== undefined);
      return held.length ? held.flat() : undefined;
    }
    if ("all" in c) {
      const held = c.all.map(holds);
      return held.every((s) => s !== undefined) ? held.flat() as string[] : undefined;
    }
    const some = (ids: string[]) => (ids.length ? ids : undefined);
    if ("yes_on_key" in c) return some(keys.filter((q) => is(q.id, "yes")).map((q) => q.id));
    if ("unsure_on_key" in c) return some(keys.filter((q) => is(q.id, "unsure")).map((q) => q.id));
    if ("yes_on" in c) return some(c.yes_on.filter((id) => is(id, "yes")));
    if ("yes_in_group" in c) {
      const ids = scored.filter((q) => q.group === c.yes_in_group && is(q.id, "yes")).map((q) => q.id);
      return ids.length >= c.at_least ? ids : undefined;
    }
    if ("score_at_least" in c) return total >= c.score_at_least ? [] : undefined;
    if ("yes_at_least" in c) return yes.length >= c.yes_at_least ? [] : undefined;
    if ("child" in c) return child ? [] : undefined;
    return c.in.includes(answers[c.choice] ?? "") ? [] : undefined;
  };
  const held = track.rules.map((r) => ({ rule: r, signs: holds(r.when) })).filter((h) => h.signs !== undefined);
  const tier = held.reduce<Tier>((best, h) => (h.rule.tier > best ? h.rule.tier : best), 1);
  const skipped = scored.filter((q) => answers[q.id] === undefined || is(q.id, "skip")).length;
  return {
    tier,
    score: total,
    yes,
    unsure,
    rules: held.filter((h) => h.rule.tier === tier).map((h) => ({ id: h.rule.id, signs: [...new Set(h.signs)] })),
    skippedMany: skipped * 2 > scored.length,
    unsureMany: unsure.length * 2 >= scored.length,
    child,
  };
}
