/** The six languages the bot speaks, in the order the picker shows them. */
export const LANGUAGES = ["az", "kk", "lv", "uk", "ru", "en"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Each language named in itself, for the picker. */
export const NATIVE_NAMES: Record<Lang, string> = {
  az: "Azərbaycanca",
  kk: "Қазақша",
  lv: "Latviešu",
  uk: "Українська",
  ru: "Русский",
  en: "English",
};

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** Telegram's language_code ("ru", "ru-RU", "uk") → one of ours, or undefined when unsure. */
export function fromTelegramCode(code: string | undefined): Lang | undefined {
  const base = code?.toLowerCase().split(/[-_]/)[0];
  return isLang(base) ? base : undefined;
}
