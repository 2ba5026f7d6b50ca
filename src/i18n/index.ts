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

/**
 * A fixed-language t() per language, made once. Strings without options are
 * memoised: i18next's own fixed t copies its whole option set on every call,
 * which was the largest single cost of an update in the benchmark.
 */
export class Translator {
  private readonly byLang = new Map<Lang, TFunction>();

  constructor(readonly i18n: i18n) {}

  getFixedT(code: string): TFunction {
    const lang: Lang = isLang(code) ? code : "en";
    let t = this.byLang.get(lang);
    if (!t) {
      const fixed = this.i18n.getFixedT(lang);
      const plain = new Map<string, string>();
      t = (key, options) => {
        if (options) return fixed(key, options) as string;
        let text = plain.get(key);
        if (text === undefined) plain.set(key, (text = fixed(key) as string));
        return text;
      };
      this.byLang.set(lang, t);
    }
    return t;
  }
}
