import { readFileSync } from "node:fs";
import { join } from "node:path";
import i18next, { type i18n, type TFunction } from "i18next";
import { LANGUAGES, type Lang } from "./languages";

export type { TFunction };
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

/** Lists are written in locales as arrays; this joins them for display. */
export function tList(t: TFunction, key: string): string[] {
  const value = t(key, { returnObjects: true }) as unknown;
  return Array.isArray(value) ? value.map(String) : [];
}
