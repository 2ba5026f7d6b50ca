import { approve, reviewStatus, safetyCritical } from "../i18n/review";
import { isLang, LANGUAGES } from "../i18n/languages";

/**
 * `npm run i18n:status`: per language, keys, reviewed, stale (the English
 * changed since the review), unreviewed and missing, then the stale and
 * unreviewed keys (safety-critical ones marked ⚠).
 * `npm run i18n:status -- approve <lang> "<who reviewed>" [key prefix]`:
 * records a review of a language (or of the keys under a prefix) against
 * today's English.
 */
const [command, lang, by, prefix] = process.argv.slice(2);
if (command === "approve") {
  if (!lang || !isLang(lang) || !by) {
    console.error('usage: npm run i18n:status -- approve <lang> "<who reviewed>" [key prefix]');
    process.exit(2);
  }
  const n = approve(lang, by, new Date().toISOString().slice(0, 10), prefix ?? "");
  console.log(`${lang}: ${n} keys marked approved against the current English`);
} else {
  const critical = safetyCritical();
  let problems = 0;
  for (const l of LANGUAGES) {
    const s = reviewStatus(l);
    console.log(`${l}: ${s.keys} keys, ${s.reviewed.length} reviewed, ${s.stale.length} stale, ${s.unreviewed.length} unreviewed, ${s.missing.length} missing`);
    for (const [label, keys] of [["stale", s.stale], ["unreviewed", s.unreviewed], ["missing", s.missing]] as const) {
      for (const key of keys) console.log(`  ${critical(key) ? "⚠ " : "  "}${label}: ${key}`);
      problems += keys.length;
    }
  }
  process.exitCode = problems ? 1 : 0;
}
