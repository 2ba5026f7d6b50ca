import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIALOGS_DIR, loadContent } from "../src/content";
import { parseStartPayload } from "../src/content/campaigns";
import { staleEntries } from "../src/content/directory";
import { UrgentMatcher } from "../src/features/urgent/matcher";

const content = loadContent();

describe("help directory", () => {
  const { entries, countries } = content.directory;

  test("every entry names the page it was read on, the words that show it, the page's date, and when it was checked", () => {
    for (const e of entries) {
      expect(e.source.url).toMatch(/^https?:\/\//);
      expect(e.source.quote.length).toBeGreaterThan(10);
      expect(e.source.page_date).toMatch(/^\d{4}|^undated$/);
      expect(["V", "V-old", "V-2nd"]).toContain(e.verification);
      expect(Number.isNaN(Date.parse(e.verified_on))).toBe(false);
    }
  });

  test("every number shown is one its source's words contain (spaces and dashes aside)", () => {
    const digits = (s: string) => s.replace(/[^0-9]/g, "");
    for (const e of entries.filter((x) => x.phone)) {
      const quoted = [e.source, ...e.also].map((s) => digits(s.quote)).join(" ");
      const number = digits(e.phone!);
      // International numbers are often quoted without the country code.
      expect({ id: e.id, found: quoted.includes(number) || quoted.includes(number.replace(/^(371|380|994|7|90|48|49|420|82|971)/, "")) }).toEqual({ id: e.id, found: true });
    }
  });

  test("numbers the research only recalled, and never found in a source, are not shipped", () => {
    const raw = readFileSync(join(DIALOGS_DIR, "directory.json"), "utf8");
    for (const recalled of ["8-800-333-00-16", "+36 80 984 590", "116 16"]) expect(raw).not.toContain(recalled);
  });

  test("in each home country the danger list starts with a line that is not the police, or the country says plainly that none is confirmed", () => {
    for (const c of countries.filter((x) => ["AZ", "KZ", "LV", "UA"].includes(x.code))) {
      const first = entries.find((e) => e.id === c.lists.danger[0]);
      expect({ country: c.code, covered: (first !== undefined && first.operator_type !== "police") || c.gap_note }).toEqual({ country: c.code, covered: true });
    }
  });

  test("entries checked longer ago than the configured age are flagged", () => {
    const newest = Math.max(...entries.map((e) => Date.parse(e.verified_on)));
    expect(staleEntries(content.directory, 180, new Date(newest + 10 * 86_400_000))).toEqual([]);
    expect(staleEntries(content.directory, 180, new Date(newest + 400 * 86_400_000)).length).toBe(entries.length);
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
    broken.tracks[0].rules[0].when = { yes_on: ["Z99"] };
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
