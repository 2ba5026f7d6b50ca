import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIALOGS_DIR, loadContent } from "../src/content";
import { parseStartPayload } from "../src/content/campaigns";
import { staleEntries } from "../src/content/directory";
import { UrgentMatcher } from "../src/content/urgent-words";

const content = loadContent();

describe("help directory", () => {
  const entries = content.directory.countries.flatMap((c) => c.entries);

  test("every entry carries its source, verification and date", () => {
    for (const e of entries) {
      expect(e.source.length).toBeGreaterThan(10);
      expect(["V", "V-old", "V-2nd"]).toContain(e.verification);
      expect(Number.isNaN(Date.parse(e.verified_on))).toBe(false);
    }
  });

  test("no number the research marks as recalled [R] is shipped", () => {
    const raw = readFileSync(join(DIALOGS_DIR, "directory.json"), "utf8");
    for (const recalled of ['"152"', "116 123", "8-800-333-00-16", "0 800 500 335", '"102" ', "+36 80 984 590"]) {
      expect(raw).not.toContain(recalled);
    }
    expect(entries.find((e) => e.id.startsWith("az_") && e.operator_type === "police")).toBeUndefined();
  });

  test("each country's panel has a verified line besides the emergency number, or says plainly that none is confirmed", () => {
    for (const c of content.directory.countries.filter((x) => x.code !== "INT")) {
      expect({ country: c.code, covered: c.entries.some((e) => e.panel) || c.gap_note }).toEqual({ country: c.code, covered: true });
    }
    for (const e of entries.filter((x) => x.panel)) expect({ id: e.id, verification: e.verification }).toEqual({ id: e.id, verification: "V" });
  });

  test("entries older than the configured age are flagged", () => {
    expect(staleEntries(content.directory, 180, new Date("2026-03-01"))).toEqual([]);
    expect(staleEntries(content.directory, 180, new Date("2026-11-22")).length).toBe(entries.length);
  });
});

describe("deep-link payloads", () => {
  const p = (s: string) => parseStartPayload(s, content.campaigns);
  test.each([
    ["riga2026-lv", { campaign: "riga2026", lang: "lv" }],
    ["lv", { lang: "lv" }],
    ["summer_uk", { campaign: "summer", lang: "uk" }],
    ["school", { campaign: "school" }],
    ["RIGA2026-LV", { campaign: "riga2026", lang: "lv" }],
    ["unknown-kk", { lang: "kk" }],
    ["riga2026-xx", {}],
    ["<script>", {}],
    ["", {}],
    ["a".repeat(65), {}],
  ])("%j → %j", (payload, expected) => {
    expect(p(payload)).toEqual(expected);
  });
});

describe("urgent words", () => {
  const m = new UrgentMatcher(content.urgentWords);
  test.each(["They took my passport!!", "HELP ME", "i cant leave", "Помогите", "меня не выпускают отсюда", "Kömək edin", "palīdziet lūdzu", "SOS"])(
    "%j is urgent",
    (text) => expect(m.matches(text)).toBe(true),
  );
  test.each(["hello", "sosial media", "I want to learn about job offers", "", "helpful tips", "паспорт нужен для визы?"])(
    "%j is not",
    (text) => expect(m.matches(text)).toBe(false),
  );
});

describe("dialogs are validated at start", () => {
  test("a broken file is refused with a readable message naming it", () => {
    const broken = { ...JSON.parse(readFileSync(join(DIALOGS_DIR, "screening.json"), "utf8")) };
    broken.tracks[0].tiers[0].when = { yes_on: ["Z99"] };
    const { screeningSchema } = jest.requireActual("../src/content/screening");
    const result = screeningSchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error.issues)).toContain("unknown question Z99");
  });
});

test("a check that points to a topic that does not exist stops the start with a readable message", () => {
  const dir = mkdtempSync(join(tmpdir(), "dialogs-"));
  try {
    cpSync(DIALOGS_DIR, dir, { recursive: true });
    const screening = JSON.parse(readFileSync(join(dir, "screening.json"), "utf8"));
    screening.tracks[1].read_more_by_choice = { ...screening.tracks[1].read_more_by_choice, relationship: "groomnig" };
    writeFileSync(join(dir, "screening.json"), JSON.stringify(screening));
    expect(() => loadContent(dir)).toThrow(/topics that dialogs\/topics.json lacks: groomnig/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
