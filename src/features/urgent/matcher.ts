import AhoCorasick from "modern-ahocorasick";
import { fold, fromWrongLayout } from "./fold";

export const URGENT_CATEGORIES = ["danger", "sexual_violence", "self_harm"] as const;
export type UrgentCategory = (typeof URGENT_CATEGORIES)[number];

/** One word of a phrase as folded: the whole word, or a stem it starts with. */
interface Atom {
  form: string;
  prefix: boolean;
}

interface Phrase {
  category: UrgentCategory;
  /** Each word of the phrase: the atoms any one of which stands for it. */
  words: number[][];
  /** Written "= …": holds only when the message says little else (a bare "Help!"), see WHOLE_SLACK. */
  whole: boolean;
  /** The phrase as written, for tests and for whoever edits the lists. */
  source: string;
}

export interface UrgentMatch {
  category: UrgentCategory;
  phrase: string;
}

/** A stem must keep this many letters once folded, or it would match half the dictionary. */
const MIN_STEM = 3;
/**
 * A "= …" phrase holds when the message has at most this many words besides
 * it: "HELP ME PLEASE" is a plea, "help, how does this bot work?" a question.
 */
const WHOLE_SLACK = 1;
/** Longest text looked at: more than any message a person types in panic. */
const MAX_TEXT = 4096;

/**
 * Parses one phrase of dialogs/urgent-words.json:
 *   words separated by spaces; "stem*" matches every word that starts with the
 *   stem; "(a|b|c*)" or "a|b" is one word with alternatives; a leading "= "
 *   makes the phrase count only when the message says little else.
 */
export function parsePhrase(source: string): Atom[][] {
  const words = source.replace(/^\s*=\s*/, "").trim().split(/\s+/);
  return words.map((word) => {
    const alternatives = word.replace(/^\((.*)\)$/, "$1").split("|");
    return alternatives.map((alt) => {
      const prefix = alt.endsWith("*");
      const folded = fold(prefix ? alt.slice(0, -1) : alt);
      if (!folded || folded.includes(" ")) throw new Error(`urgent phrase "${source}": "${alt}" must be one word`);
      if (prefix && folded.length < MIN_STEM) throw new Error(`urgent phrase "${source}": the stem "${alt}" is too short once folded ("${folded}")`);
      return { form: folded, prefix };
    });
  });
}

/**
 * Recognises urgent phrases in any of the six languages at once (people write
 * in another language than the interface's), however the message is typed
 * (see fold.ts): the words of a phrase may come in any order, with a word or
 * two between them (at most two per gap), and a stem matches every ending.
 *
 * One Aho–Corasick pass (modern-ahocorasick) finds every phrase word in the
 * folded message at once, so the cost of a message does not grow with the
 * number of phrases; only the phrases whose rarest word was found are then
 * checked, word by word.
 */
export class UrgentMatcher {
  private readonly atoms: Atom[] = [];
  private readonly phrases: Phrase[] = [];
  /** Atom id → phrases anchored on it (each phrase is anchored on the atoms of its rarest word). */
  private readonly anchored = new Map<number, number[]>();
  private readonly automaton: AhoCorasick<number>;

  constructor(lists: Record<string, Partial<Record<UrgentCategory, string[]>>>) {
    const ids = new Map<string, number>();
    const atomId = (a: Atom) => {
      const key = `${a.prefix ? "*" : "="}${a.form}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = this.atoms.push(a) - 1;
        ids.set(key, id);
      }
      return id;
    };
    const seen = new Set<string>();
    for (const byCategory of Object.values(lists)) {
      for (const category of URGENT_CATEGORIES) {
        for (const source of byCategory[category] ?? []) {
          const words = parsePhrase(source).map((alternatives) => [...new Set(alternatives.map(atomId))]);
          const whole = /^\s*=/.test(source);
          const key = `${category}|${whole}|${JSON.stringify(words)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          this.phrases.push({ category, words, whole, source });
        }
      }
    }
    // How many phrases each atom appears in: a phrase is looked at only when its rarest word is found.
    const uses = new Map<number, number>();
    for (const p of this.phrases) for (const word of p.words) for (const a of word) uses.set(a, (uses.get(a) ?? 0) + 1);
    this.phrases.forEach((p, index) => {
      const weight = (word: number[]) => word.reduce((sum, a) => sum + (uses.get(a) ?? 0), 0);
      const rarest = p.words.reduce((best, word) => (weight(word) < weight(best) ? word : best));
      for (const a of rarest) {
        const list = this.anchored.get(a) ?? [];
        list.push(index);
        this.anchored.set(a, list);
      }
    });
    // " form" finds a word starting with the stem; " form " a whole word (the folded text is padded with spaces).
    this.automaton = new AhoCorasick(this.atoms.map((a, id) => ({ pattern: ` ${a.form}${a.prefix ? "" : " "}`, data: id })));
  }

  get size(): number {
    return this.phrases.length;
  }

  /** Every category the text signals, with the phrase that showed it (first found per category). */
  find(text: string): UrgentMatch[] {
    const clipped = text.slice(0, MAX_TEXT);
    const found = new Map<UrgentCategory, string>();
    for (const variant of [clipped, fromWrongLayout(clipped)]) {
      if (variant === undefined) continue;
      for (const m of this.matchFolded(fold(variant))) if (!found.has(m.category)) found.set(m.category, m.phrase);
    }
    return URGENT_CATEGORIES.filter((c) => found.has(c)).map((category) => ({ category, phrase: found.get(category)! }));
  }

  matches(text: string): boolean {
    return this.find(text).length > 0;
  }

  private matchFolded(folded: string): UrgentMatch[] {
    if (!folded) return [];
    const padded = ` ${folded} `;
    // Where each word starts (at its leading space) → its index.
    const wordAt = new Map<number, number>();
    let index = 0;
    for (let i = 0; i < padded.length - 1; i++) if (padded[i] === " ") wordAt.set(i, index++);
    /** Atom id → the word indexes where it was found. */
    const positions = new Map<number, number[]>();
    for (const hit of this.automaton.iterate(padded)) {
      const word = wordAt.get(hit.start);
      if (word === undefined || hit.data === undefined) continue;
      const list = positions.get(hit.data) ?? [];
      list.push(word);
      positions.set(hit.data, list);
    }
    const out: UrgentMatch[] = [];
    const checked = new Set<number>();
    for (const atom of positions.keys()) {
      for (const p of this.anchored.get(atom) ?? []) {
        if (checked.has(p)) continue;
        checked.add(p);
        const phrase = this.phrases[p]!;
        if (phrase.whole && index > phrase.words.length + WHOLE_SLACK) continue;
        // Most candidates lack a word altogether: rule them out before placing words.
        if (!phrase.words.every((word) => word.some((a) => positions.has(a)))) continue;
        if (holds(phrase, positions)) out.push({ category: phrase.category, phrase: phrase.source });
      }
    }
    return out;
  }
}

/**
 * True when every word of the phrase was found at a distinct position, all
 * within a span that leaves room for at most two other words per gap.
 */
function holds(phrase: Phrase, positions: Map<number, number[]>): boolean {
  const candidates = phrase.words.map((word) => [...new Set(word.flatMap((a) => positions.get(a) ?? []))].sort((a, b) => a - b));
  if (candidates.some((c) => c.length === 0)) return false;
  const k = phrase.words.length;
  const maxSpan = k + 2 * (k - 1);
  const chosen: number[] = [];
  const search = (w: number): boolean => {
    if (w === k) return Math.max(...chosen) - Math.min(...chosen) < maxSpan;
    for (const pos of candidates[w]!) {
      if (chosen.includes(pos)) continue;
      if (chosen.length && (Math.max(pos, ...chosen) - Math.min(pos, ...chosen) >= maxSpan)) continue;
      chosen.push(pos);
      if (search(w + 1)) return true;
      chosen.pop();
    }
    return false;
  };
  return search(0);
}
