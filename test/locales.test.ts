import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadContent } from "../src/content";
import { ENTRY_NOTES, WHERE_CODES } from "../src/content/directory";
import { URGENT_CATEGORIES } from "../src/features/urgent/matcher";
import { topicKeys } from "../src/content/topics";
import { LOCALES_DIR, readLocale } from "../src/i18n";
import { LANGUAGES, type Lang } from "../src/i18n/languages";
import { COUNTRY_CODES } from "../src/store/session";
import { htmlProblems } from "./helpers/html";

const PLURAL = /_(zero|one|two|few|many|other)$/;
type Flat = Map<string, string>;

function flatten(value: unknown, prefix = "", out: Flat = new Map()): Flat {
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, String(value));
  return out;
}

const dir = LOCALES_DIR;
const locales = Object.fromEntries(LANGUAGES.map((l) => [l, flatten(readLocale(l, dir))])) as Record<Lang, Flat>;
const en = locales.en;
const base = (key: string) => key.replace(PLURAL, "");
const baseKeys = (flat: Flat) => new Set([...flat.keys()].map(base));
const placeholders = (text: string) => [...text.matchAll(/{{-?\s*(\w+)\s*}}/g)].map((m) => m[1]).sort().join(",");

/** Every key the code and dialogs/ name, with the content in dialogs/. */
function requiredKeys(): string[] {
  const content = loadContent();
  const keys = [
    ...content.topics.topics.flatMap(topicKeys),
    ...content.directory.entries.map((e) => `directory.entries.${e.id}`),
    ...ENTRY_NOTES.map((n) => `directory.note.${n}`),
    ...COUNTRY_CODES.map((c) => `country.${c}`),
    ...WHERE_CODES.map((c) => `directory.in.${c}`),
    ...content.directory.countries.filter((c) => c.gap_note).map((c) => `directory.gap.${c.code}`),
    ...["emergency", "ngo", "government", "police", "intergovernmental"].flatMap((o) => [`directory.operator.${o}`, `directory.emergency_other.${o}`]),
    ...URGENT_CATEGORIES.map((c) => `urgent.ack.${c}`),
  ];
  for (const track of content.screening.tracks) {
    keys.push(`screening.track.${track.id}`, `screening.track_intro.${track.id}`, `topics.${track.read_more_topic}.title`);
    for (const tier of [1, 2, 3]) keys.push(`screening.result.title.${track.id}_${tier}`, `screening.result.next.${track.id}_${tier}`);
    for (const rule of track.rules) keys.push(`screening.why.${rule.id}`);
    for (const q of track.questions) {
      keys.push(`screening.q.${q.id}.text`);
      if (q.kind === "yes_no") keys.push(`screening.q.${q.id}.sign`);
      else keys.push(...q.options.map((o) => `screening.option.${o}`));
    }
  }
  return keys;
}

test.each(LANGUAGES)("locales/%s.json exists", (lang) => {
  expect(existsSync(join(dir, `${lang}.json`))).toBe(true);
});

describe.each(LANGUAGES.filter((l) => l !== "en"))("%s against en", (lang) => {
  const flat = locales[lang];

  test("has exactly the keys of en (plural forms aside)", () => {
    const mine = baseKeys(flat);
    const theirs = baseKeys(en);
    expect([...theirs].filter((k) => !mine.has(k))).toEqual([]);
    expect([...mine].filter((k) => !theirs.has(k))).toEqual([]);
  });

  test("uses the same {{placeholders}} in every string", () => {
    const enByBase = new Map([...en].map(([k, v]) => [base(k), placeholders(v)]));
    const differing = [...flat].filter(([k, v]) => enByBase.has(base(k)) && placeholders(v) !== enByBase.get(base(k))).map(([k]) => k);
    expect(differing).toEqual([]);
  });

  test("is not English left in place (names and numbers aside)", () => {
    const same = [...flat].filter(([k, v]) => en.get(k) === v && /[A-Za-z]{4}/.test(v.replace(/<[^>]+>|{{\w+}}/g, "")));
    expect(same.map(([k]) => k)).toEqual([]);
  });
});

describe.each(LANGUAGES)("%s on its own", (lang) => {
  const flat = locales[lang];

  test("has no empty string", () => {
    expect([...flat].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
  });

  test("has the plural forms Intl.PluralRules gives for the language, and only those", () => {
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.slice().sort();
    const groups = new Map<string, string[]>();
    for (const key of flat.keys()) {
      const m = PLURAL.exec(key);
      if (m?.[1]) groups.set(base(key), [...(groups.get(base(key)) ?? []), m[1]]);
    }
    expect(groups.size).toBeGreaterThan(0);
    for (const [key, forms] of groups) expect({ key, forms: forms.sort() }).toEqual({ key, forms: categories });
  });

  test("has every key that dialogs/ and the code name", () => {
    const keys = baseKeys(flat);
    expect(requiredKeys().filter((k) => !keys.has(k))).toEqual([]);
  });

  test("is valid Telegram HTML: only b and i, balanced, no bare & or <", () => {
    const bad = [...flat].flatMap(([key, value]) => htmlProblems(value).map((problem) => `${key}: ${problem}`));
    expect(bad).toEqual([]);
  });

  test("keeps screens phone-sized and button labels short", () => {
    const tooLong = [...flat].filter(([k, v]) => (/^topics\.\w+\.p\d$/.test(k) && v.length > 700) || (/^(button|screening\.(answer|option|track))\.|^topics\.\w+\.title$/.test(k) && v.length > 40));
    expect(tooLong.map(([k, v]) => `${k} (${v.length})`)).toEqual([]);
  });
});

describe("translation", () => {
  test("placeholders are filled and escaped exactly as i18next does, and plurals follow the language", () => {
    const { Translator, createI18n } = jest.requireActual("../src/i18n");
    const i18n = createI18n(dir);
    const ours = new Translator(i18n);
    for (const lang of LANGUAGES) {
      const values = { number: "<1&2>", more: "", n: 3, total: 14, code: "AB'C/", range: "10:00–18:00" };
      for (const key of ["panel.title", "screening.progress", "directory.hours.daily_range", "error.apology"]) {
        expect(ours.getFixedT(lang)(key, values)).toBe(i18n.getFixedT(lang)(key, values));
      }
      for (const count of [0, 1, 2, 5, 21, 30]) {
        expect(ours.getFixedT(lang)("screening.paused", { count })).toBe(i18n.getFixedT(lang)("screening.paused", { count }));
      }
    }
  });
});
