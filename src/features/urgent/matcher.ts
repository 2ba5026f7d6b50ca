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
 * One Aho–Corasick pass (modern-ahocorasick) finds every phrase word ("atom":
 * a whole word, or a stem) in the folded message at once, whatever the number
 * of phrases. Only then are phrases looked at, and only those that may hold: a
 * phrase of several words is indexed under each pair of atoms of its two
 * rarest words (rarest: in the fewest phrases), so it is a candidate only when
 * the message has both; a one-word phrase, under the atoms of its word. A
 * candidate is checked for its other words, then for their placing (`holds`).
 * A message shares common words with many phrases but rarely a rare pair, so
 * the candidates grow much less than the list; what they still cost grows with
 * the phrases that have all their words in the message.
 */
export class UrgentMatcher {
  private readonly atoms: Atom[] = [];
  private readonly phrases: Phrase[] = [];
  /** Atom id → the one-word phrases it stands for. */
  private readonly single: (number[] | undefined)[];
  /**
   * Lower atom id → higher atom id → the phrases of several words whose two
   * rarest words these atoms stand for (a phrase is under every pair of their alternatives).
   */
  private readonly pairs: (Map<number, number[]> | undefined)[];
  /** Per phrase: its rarest word, which decides which phrase is named when several hold (see rankOf). */
  private readonly rarest: number[][] = [];
  /** Per phrase: its words but the two it is indexed under, rarest first (most candidates lack one). */
  private readonly others: number[][][] = [];
  /** Per phrase: the index of its category in URGENT_CATEGORIES. */
  private readonly categoryOf: Uint8Array;
  private readonly automaton: AhoCorasick<number>;

  // Scratch for the text being matched, reused from one to the next: find() is synchronous, one text at a time.
  /** Atom id → its latest hit (an index into hitWord/hitNext), or -1 when the text lacks it. */
  private readonly lastHit: Int32Array;
  /** Per hit: the index of the word it is in, and the same atom's hit before it (-1 for none). */
  private hitWord = new Int32Array(64);
  private hitNext = new Int32Array(64);
  /** The atoms the text has, each once, in the order they were first found. */
  private readonly present: number[] = [];
  /** Atom id → its index in `present` (meaningful only while the text has it). */
  private readonly presentAt: Int32Array;
  /** The number of words in the text. */
  private wordCount = 0;
  /** Phrase id → the last pass that looked at it: a phrase indexed under several pairs the text has is looked at once. */
  private readonly lookedAt: Uint32Array;
  private pass = 0;
  /** Per category: the rank of the phrase found for it so far (Infinity: none; -Infinity: found in an earlier pass), and that phrase. */
  private readonly bestRank = new Float64Array(URGENT_CATEGORIES.length);
  private readonly bestPhrase = new Int32Array(URGENT_CATEGORIES.length);
  /** The phrase being placed: word w's positions are slots[slotStart[w] .. slotStart[w + 1]), chosen[w] the one tried. */
  private readonly slotStart: Int32Array;
  private slots = new Int32Array(64);
  private readonly chosen: Int32Array;

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
    // How many phrases each atom appears in; a word is as common as its alternatives together.
    const uses = new Map<number, number>();
    for (const p of this.phrases) for (const word of p.words) for (const a of word) uses.set(a, (uses.get(a) ?? 0) + 1);
    const weight = (word: number[]) => word.reduce((sum, a) => sum + (uses.get(a) ?? 0), 0);
    const add = (map: Map<number, number[]>, key: number, phrase: number) => {
      const list = map.get(key);
      if (list) list.push(phrase);
      else map.set(key, [phrase]);
    };
    // Indexed by atom id (dense, from 0): an array read is cheaper than a Map lookup; filled so that it stays packed.
    this.single = new Array<number[] | undefined>(this.atoms.length).fill(undefined);
    this.pairs = new Array<Map<number, number[]> | undefined>(this.atoms.length).fill(undefined);
    this.phrases.forEach((p, index) => {
      // A stable sort: of two words as rare, the earlier in the phrase comes first.
      const [first, second, ...rest] = [...p.words].sort((x, y) => weight(x) - weight(y)) as [number[], ...number[][]];
      this.rarest.push(first);
      this.others.push(rest);
      if (!second) {
        for (const a of first) (this.single[a] ??= []).push(index);
        return;
      }
      for (const a of first) {
        for (const b of second) {
          const lo = Math.min(a, b);
          add((this.pairs[lo] ??= new Map()), Math.max(a, b), index);
        }
      }
    });
    this.categoryOf = Uint8Array.from(this.phrases, (p) => URGENT_CATEGORIES.indexOf(p.category));
    this.lastHit = new Int32Array(this.atoms.length).fill(-1);
    this.presentAt = new Int32Array(this.atoms.length);
    this.lookedAt = new Uint32Array(this.phrases.length);
    const longest = this.phrases.reduce((most, p) => Math.max(most, p.words.length), 1);
    this.slotStart = new Int32Array(longest + 1);
    this.chosen = new Int32Array(longest);
    // " form" finds a word starting with the stem; " form " a whole word (the folded text is padded with spaces).
    this.automaton = new AhoCorasick(this.atoms.map((a, id) => ({ pattern: ` ${a.form}${a.prefix ? "" : " "}`, data: id })));
  }

  get size(): number {
    return this.phrases.length;
  }

  /**
   * Every category the text signals, with the phrase that showed it: per
   * category, the one whose rarest word the text has first (then the earlier
   * in the lists), in the text as typed before its wrong-layout reading.
   */
  find(text: string): UrgentMatch[] {
    const clipped = text.slice(0, MAX_TEXT);
    const found = new Map<UrgentCategory, string>();
    this.matchFolded(fold(clipped), found);
    const wrongLayout = fromWrongLayout(clipped);
    if (wrongLayout !== undefined && found.size < URGENT_CATEGORIES.length) this.matchFolded(fold(wrongLayout), found);
    return URGENT_CATEGORIES.filter((c) => found.has(c)).map((category) => ({ category, phrase: found.get(category)! }));
  }

  matches(text: string): boolean {
    return this.find(text).length > 0;
  }

  /** Adds to `found` each category not in it yet that a phrase shows in the folded text, with that phrase. */
  private matchFolded(folded: string, found: Map<UrgentCategory, string>): void {
    if (!folded) return;
    URGENT_CATEGORIES.forEach((category, c) => {
      this.bestRank[c] = found.has(category) ? -Infinity : Infinity;
      this.bestPhrase[c] = -1;
    });
    try {
      this.collectHits(` ${folded} `);
      const pass = this.nextPass();
      const present = this.present;
      for (let i = 0; i < present.length; i++) {
        const a = present[i]!;
        const single = this.single[a];
        if (single) this.tryAll(single, pass);
        const inner = this.pairs[a];
        if (!inner) continue;
        // Pairs are keyed (lower, higher): walk whichever is shorter, a's partners or the text's atoms.
        if (inner.size <= present.length) {
          for (const [b, phrases] of inner) if (this.lastHit[b]! >= 0) this.tryAll(phrases, pass);
        } else {
          for (let j = 0; j < present.length; j++) {
            const b = present[j]!;
            const phrases = b >= a ? inner.get(b) : undefined;
            if (phrases) this.tryAll(phrases, pass);
          }
        }
      }
    } finally {
      for (const a of this.present) this.lastHit[a] = -1;
      this.present.length = 0;
    }
    URGENT_CATEGORIES.forEach((category, c) => {
      const p = this.bestPhrase[c]!;
      if (p >= 0) found.set(category, this.phrases[p]!.source);
    });
  }

  /** Runs the automaton over the padded text: fills lastHit, hitWord, hitNext, present and wordCount. */
  private collectHits(padded: string): void {
    // Every word starts at a space (the folded text has single spaces): a hit's word is the count of spaces before it.
    let words = 0;
    let scanned = 0;
    let hits = 0;
    for (const hit of this.automaton.iterate(padded)) {
      const a = hit.data;
      if (a === undefined) continue;
      // A hit spans one word (and the space after it), so hits come in the order of their words; else count afresh.
      if (hit.start < scanned) words = scanned = 0;
      for (; scanned < hit.start; scanned++) if (padded.charCodeAt(scanned) === 32) words++;
      if (hits === this.hitWord.length) {
        this.hitWord = grown(this.hitWord);
        this.hitNext = grown(this.hitNext);
      }
      this.hitWord[hits] = words;
      this.hitNext[hits] = this.lastHit[a]!;
      if (this.lastHit[a] === -1) this.presentAt[a] = this.present.push(a) - 1;
      this.lastHit[a] = hits++;
    }
    for (; scanned < padded.length - 1; scanned++) if (padded.charCodeAt(scanned) === 32) words++;
    this.wordCount = words;
  }

  private nextPass(): number {
    if (++this.pass === 0xffffffff) {
      this.lookedAt.fill(0);
      this.pass = 1;
    }
    return this.pass;
  }

  /**
   * The order in which phrases are named: by the first-found atom of their
   * rarest word, then by their place in the lists (the order the matcher has
   * always named them in, so that a faster index names the same phrase).
   */
  private rankOf(p: number): number {
    const word = this.rarest[p]!;
    let first = Infinity;
    for (let i = 0; i < word.length; i++) if (this.lastHit[word[i]!]! >= 0) first = Math.min(first, this.presentAt[word[i]!]!);
    return first * this.phrases.length + p;
  }

  /** Looks at each candidate not looked at in this pass that could be named for its category. */
  private tryAll(candidates: number[], pass: number): void {
    for (let i = 0; i < candidates.length; i++) {
      const p = candidates[i]!;
      if (this.lookedAt[p] === pass) continue;
      this.lookedAt[p] = pass;
      const phrase = this.phrases[p]!;
      if (phrase.whole && this.wordCount > phrase.words.length + WHOLE_SLACK) continue;
      const c = this.categoryOf[p]!;
      // A phrase that would not be named anyway needs no checking.
      const rank = this.rankOf(p);
      if (rank >= this.bestRank[c]!) continue;
      if (!this.hasAll(this.others[p]!) || !this.holds(phrase)) continue;
      this.bestRank[c] = rank;
      this.bestPhrase[c] = p;
    }
  }

  /** True when the text has every one of these words (one of its alternatives). */
  private hasAll(words: number[][]): boolean {
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      let has = false;
      for (let i = 0; i < word.length && !has; i++) has = this.lastHit[word[i]!]! >= 0;
      if (!has) return false;
    }
    return true;
  }

  /**
   * True when every word of the phrase was found at a distinct position, all
   * within a span that leaves room for at most two other words per gap.
   */
  private holds(phrase: Phrase): boolean {
    const k = phrase.words.length;
    let n = 0;
    for (let w = 0; w < k; w++) {
      this.slotStart[w] = n;
      const word = phrase.words[w]!;
      for (let i = 0; i < word.length; i++) {
        for (let h = this.lastHit[word[i]!]!; h >= 0; h = this.hitNext[h]!) {
          const pos = this.hitWord[h]!;
          // Two alternatives (a stem and a longer stem) may stand at the same word: keep it once.
          let dup = false;
          for (let s = this.slotStart[w]!; s < n && !dup; s++) dup = this.slots[s] === pos;
          if (dup) continue;
          if (n === this.slots.length) this.slots = grown(this.slots);
          this.slots[n++] = pos;
        }
      }
      if (n === this.slotStart[w]) return false;
    }
    this.slotStart[k] = n;
    return this.place(0, k, k + 2 * (k - 1), 0, 0);
  }

  /** Chooses a position for word w and, recursively, the words after it; the words before span lo..hi. */
  private place(w: number, k: number, maxSpan: number, lo: number, hi: number): boolean {
    if (w === k) return true;
    for (let s = this.slotStart[w]!; s < this.slotStart[w + 1]!; s++) {
      const pos = this.slots[s]!;
      let taken = false;
      for (let c = 0; c < w && !taken; c++) taken = this.chosen[c] === pos;
      if (taken) continue;
      const newLo = w === 0 ? pos : Math.min(lo, pos);
      const newHi = w === 0 ? pos : Math.max(hi, pos);
      if (newHi - newLo >= maxSpan) continue;
      this.chosen[w] = pos;
      if (this.place(w + 1, k, maxSpan, newLo, newHi)) return true;
    }
    return false;
  }
}

function grown(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
