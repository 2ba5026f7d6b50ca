import { z } from "zod";
import { LANGUAGES, type Lang } from "../i18n/languages";

/** Phrases that signal immediate danger, per language (dialogs/urgent-words.json). */
export const urgentWordsSchema = z.object({
  phrases: z.object(Object.fromEntries(LANGUAGES.map((l) => [l, z.array(z.string().min(2)).min(5)])) as Record<Lang, z.ZodArray<z.ZodString>>),
});

export type UrgentWords = z.infer<typeof urgentWordsSchema>;

/** Lower case, letters and digits only, single spaces: "They TOOK my passport!!" → "they took my passport". */
export function normalise(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[’'`ʼ]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Matches phrases in any of the six languages (people often write in another
 * language than the interface's). A last word of 6+ letters matches as a
 * prefix, so inflected forms need no entries of their own; a shorter one only
 * as a whole word (Azerbaijani "sosial" must not match "sos").
 */
export class UrgentMatcher {
  private readonly patterns: RegExp[];

  constructor(words: UrgentWords) {
    const all = new Set(Object.values(words.phrases).flat().map(normalise));
    this.patterns = [...all].map((p) => {
      const escaped = p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const lastWord = p.split(" ").pop() ?? "";
      return new RegExp(`(^| )${escaped}${lastWord.length >= 6 ? "" : "( |$)"}`, "u");
    });
  }

  matches(text: string): boolean {
    const t = normalise(text.slice(0, 4096));
    return t.length > 0 && this.patterns.some((p) => p.test(t));
  }
}
