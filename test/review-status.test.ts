import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOCALES_DIR } from "../src/i18n";
import { LANGUAGES } from "../src/i18n/languages";
import { approve, reviewStatus, safetyCritical } from "../src/i18n/review";

/**
 * The review records keep the words right after us: a translation reviewed
 * against English that has since changed is stale, and no safety-critical
 * string (panel, urgent answers, self-check questions and results, consent,
 * quick exit) may be stale or unreviewed in any language.
 */
describe.each(LANGUAGES)("%s", (lang) => {
  const status = reviewStatus(lang);
  const critical = safetyCritical();

  test("every safety-critical key is reviewed against the current English", () => {
    expect([...status.stale, ...status.unreviewed, ...status.missing].filter(critical)).toEqual([]);
  });

  test("every key is reviewed against the current English", () => {
    expect({ stale: status.stale, unreviewed: status.unreviewed, missing: status.missing }).toEqual({ stale: [], unreviewed: [], missing: [] });
  });
});

test("changing the English makes a reviewed translation stale, and a new review approves it again", () => {
  const dir = mkdtempSync(join(tmpdir(), "locales-"));
  cpSync(LOCALES_DIR, dir, { recursive: true });
  approve("lv", "test", "2026-12-03", "", dir);
  expect(reviewStatus("lv", dir).stale).toEqual([]);
  const en = JSON.parse(readFileSync(join(dir, "en.json"), "utf8"));
  en.panel.title = `${en.panel.title} (changed)`;
  writeFileSync(join(dir, "en.json"), JSON.stringify(en));
  expect(reviewStatus("lv", dir).stale).toEqual(["panel.title"]);
  expect(safetyCritical(join(dir, "review"))("panel.title")).toBe(true);
  approve("lv", "test", "2026-12-03", "panel", dir);
  expect(reviewStatus("lv", dir).stale).toEqual([]);
});
