import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LOCALES_DIR, readLocale } from ".";
import type { Lang } from "./languages";

/**
 * Review status of the translations, as Weblate keeps string states: for each
 * language, locales/review/<lang>.json records, per key, the hash of the
 * English text the translation was reviewed against and the verdict. A key is
 * stale when the English has changed since (it needs editing), unreviewed
 * when it has no approved record. The locales stay plain i18next JSON.
 */
export interface ReviewRecord {
  /** First 12 hex digits of SHA-256 of the English text it was reviewed against. */
  en: string;
  verdict: "approved" | "needs_editing";
  /** Who reviewed, in words (no names of people are needed): "blind native review, round 2". */
  by: string;
  on: string;
}

export const REVIEW_DIR = join(LOCALES_DIR, "review");

export const hashOf = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 12);

/** Every key of a locale with its text, plural forms (key_one, key_other…) each on their own. */
export function flatten(tree: Record<string, unknown>, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (v && typeof v === "object") for (const [kk, vv] of flatten(v as Record<string, unknown>, `${prefix}${k}.`)) out.set(kk, vv);
    else out.set(`${prefix}${k}`, String(v));
  }
  return out;
}

/** The English a key is translated from; a language's own plural forms (key_few…) are read against key_other. */
function englishOf(english: Map<string, string>, key: string): string | undefined {
  return english.get(key) ?? english.get(key.replace(/_(zero|one|two|few|many|other)$/, "_other"));
}

export function readReviews(lang: Lang, dir = REVIEW_DIR): Record<string, ReviewRecord> {
  const file = join(dir, `${lang}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, ReviewRecord>) : {};
}

export function writeReviews(lang: Lang, records: Record<string, ReviewRecord>, dir = REVIEW_DIR): void {
  const sorted = Object.fromEntries(Object.entries(records).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(join(dir, `${lang}.json`), `${JSON.stringify(sorted, null, 1)}\n`);
}

export function safetyCritical(dir = REVIEW_DIR): (key: string) => boolean {
  const { keys } = JSON.parse(readFileSync(join(dir, "safety-critical.json"), "utf8")) as { keys: string[] };
  return (key) => keys.some((k) => key === k || key.startsWith(`${k}.`) || key.startsWith(`${k}_`));
}

export interface LanguageStatus {
  lang: Lang;
  keys: number;
  reviewed: string[];
  /** Reviewed against English that has changed since. */
  stale: string[];
  /** In the locale, but never approved (or marked as needing editing). */
  unreviewed: string[];
  /** In English, not in this locale. */
  missing: string[];
}

export function reviewStatus(lang: Lang, locales = LOCALES_DIR, reviews = join(locales, "review")): LanguageStatus {
  const english = flatten(readLocale("en", locales));
  const mine = flatten(readLocale(lang, locales));
  const records = readReviews(lang, reviews);
  const status: LanguageStatus = { lang, keys: mine.size, reviewed: [], stale: [], unreviewed: [], missing: [] };
  for (const key of mine.keys()) {
    const source = englishOf(english, key);
    const record = records[key];
    if (!record || record.verdict !== "approved") status.unreviewed.push(key);
    else if (source !== undefined && record.en !== hashOf(source)) status.stale.push(key);
    else status.reviewed.push(key);
  }
  for (const key of english.keys()) if (!mine.has(key) && !/_(zero|one|two|few|many|other)$/.test(key)) status.missing.push(key);
  return status;
}

/**
 * Marks keys of a language as approved against today's English: what a
 * reviewer runs once they have read the keys (all of them, or those matching
 * a prefix) in context.
 */
export function approve(lang: Lang, by: string, on: string, prefix = "", locales = LOCALES_DIR): number {
  const english = flatten(readLocale("en", locales));
  const mine = flatten(readLocale(lang, locales));
  const reviews = join(locales, "review");
  const records = readReviews(lang, reviews);
  let n = 0;
  for (const [key] of mine) {
    if (prefix && !(key === prefix || key.startsWith(`${prefix}.`))) continue;
    const source = englishOf(english, key) ?? "";
    records[key] = { en: hashOf(source), verdict: "approved", by, on };
    n++;
  }
  for (const key of Object.keys(records)) if (!mine.has(key)) delete records[key];
  writeReviews(lang, records, reviews);
  return n;
}

