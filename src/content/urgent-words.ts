import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { LANGUAGES, type Lang } from "../i18n/languages";
import { URGENT_CATEGORIES, parsePhrase, type UrgentCategory } from "../features/urgent/matcher";

/** dialogs/urgent-words/<lang>.json: per category, the phrases that bring help at once. */
const phraseList = z.array(z.string().min(2)).default([]);
export const urgentListSchema = z
  .object(Object.fromEntries(URGENT_CATEGORIES.map((c) => [c, phraseList])) as Record<UrgentCategory, typeof phraseList>)
  .catchall(z.unknown())
  .superRefine((list, ctx) => {
    for (const category of URGENT_CATEGORIES) {
      list[category].forEach((phrase, i) => {
        try {
          parsePhrase(phrase);
        } catch (error) {
          ctx.addIssue({ code: "custom", path: [category, i], message: (error as Error).message });
        }
      });
    }
  });

export type UrgentWords = Record<Lang, Record<UrgentCategory, string[]>>;

/** Reads and checks every language's list; a bad phrase stops the start with its place named. */
export function loadUrgentWords(dialogsDir: string): UrgentWords {
  const out: Partial<UrgentWords> = {};
  for (const lang of LANGUAGES) {
    const file = join("urgent-words", `${lang}.json`);
    const parsed = urgentListSchema.safeParse(JSON.parse(readFileSync(join(dialogsDir, file), "utf8")));
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n");
      throw new Error(`dialogs/${file} is not valid:\n${problems}`);
    }
    out[lang] = parsed.data;
  }
  return out as UrgentWords;
}
