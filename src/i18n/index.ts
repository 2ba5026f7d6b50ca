import { readFileSync } from "node:fs";
import { join } from "node:path";
import i18next, { type i18n } from "i18next";
import { LANGUAGES, isLang, type Lang } from "./languages";

/** Translates a key in one fixed language; options carry {{placeholders}} and count. */
export type TFunction = (key: string, options?: Record<string, unknown>) => string;
export const LOCALES_DIR = join(__dirname, "..", "..", "locales");

export function readLocale(lang: Lang, dir = LOCALES_DIR): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, `${lang}.json`), "utf8")) as Record<string, unknown>;
}

/**
 * One i18next instance for the process. Per update we only ever call
 * getFixedT(lang): changeLanguage would race between concurrent chats.
 * Interpolated values are HTML-escaped because every message is sent with
 * parse_mode HTML.
 */
export function createI18n(dir = LOCALES_DIR): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: readLocale(l, dir) }])),
    supportedLngs: [...LANGUAGES],
    fallbackLng: "en",
    interpolation: { escapeValue: true },
    returnNull: false,
    returnEmptyString: false,
  });
  return instance;
}

/** The escaping i18next applies to interpolated values (escapeValue: true): HTML-safe for parse_mode HTML. */
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "/": "&#x2F;" };
const escapeHtml = (value: string) => value.replace(/[&<>"'/]/g, (c) => ESCAPES[c] ?? c);

/**
 * A fixed-language t() per language, made once. i18next's own fixed t copies
 * its whole option set on every call (about 15 µs, the largest single cost of
 * an update in the benchmark), so strings are memoised per key and plain
 * {{placeholders}} are filled here, escaped as i18next would; only plurals
 * (a `count`) go through i18next.
 */
export class Translator {
  private readonly byLang = new Map<Lang, TFunction>();

  constructor(readonly i18n: i18n) {}

  getFixedT(code: string): TFunction {
    const lang: Lang = isLang(code) ? code : "en";
    let t = this.byLang.get(lang);
    if (!t) {
      const fixed = this.i18n.getFixedT(lang);
      const templates = new Map<string, string>();
      const template = (key: string) => {
        let text = templates.get(key);
        if (text === undefined) templates.set(key, (text = fixed(key) as string));
        return text;
      };
      t = (key, options) => {
        if (!options) return template(key);
        if ("count" in options) return fixed(key, options) as string;
        // "{{- name}}" is i18next's unescaped form: for values that are already HTML (a line of numbers in <b>).
        return template(key).replace(/{{(-?)\s*(\w+)\s*}}/g, (whole, raw: string, name: string) =>
          name in options ? (raw ? String(options[name]) : escapeHtml(String(options[name]))) : whole,
        );
      };
      this.byLang.set(lang, t);
    }
    return t;
  }
}
