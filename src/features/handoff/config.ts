import { isLang, type Lang } from "../../i18n/languages";
import { Schedule } from "./schedule";

export interface OperatorGroup {
  chatId: number;
  /** Languages routed here; the first is the language of the group's own messages. */
  languages: Lang[];
  /** Takes every language not routed elsewhere. */
  fallback: boolean;
  schedule: Schedule;
  /**
   * The group's name in statistics and metric labels: the languages routed
   * to it as configured, e.g. "kk+ru", "lv", "az+*" or "*" (never its chat id).
   */
  label: string;
}

export interface HandoffConfig {
  groups: OperatorGroup[];
  takeTimeoutMinutes: number;
  retentionHours: number;
}

/**
 * OPERATOR_GROUPS="kk,ru:-100123;lv:-100456;*:-100789" and
 * OPERATOR_HOURS="-100123=Mon-Fri 09:00-18:00 Asia/Almaty;*=24/7" (per group; unset = always on shift).
 */
export function parseHandoffConfig(
  groupsSpec: string | undefined,
  hoursSpec: string | undefined,
  takeTimeoutMinutes: number,
  retentionHours: number,
  defaultLanguage: Lang,
): HandoffConfig {
  const groups: OperatorGroup[] = [];
  const hours = new Map<string, Schedule>();
  for (const part of (hoursSpec ?? "").split(";").map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq < 1) throw new Error(`OPERATOR_HOURS: "${part}" should look like -100123=Mon-Fri 09:00-18:00 Europe/Riga`);
    hours.set(part.slice(0, eq).trim(), Schedule.parse(part.slice(eq + 1)));
  }
  for (const part of (groupsSpec ?? "").split(";").map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z*,\s]+):\s*(-100\d{5,})$/.exec(part);
    if (!m) throw new Error(`OPERATOR_GROUPS: "${part}" should look like kk,ru:-1001234567890`);
    const codes = (m[1] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const fallback = codes.includes("*");
    const languages = codes.filter((c) => c !== "*");
    for (const c of languages) if (!isLang(c)) throw new Error(`OPERATOR_GROUPS: unknown language "${c}"`);
    const chatId = Number(m[2]);
    groups.push({
      chatId,
      languages: (languages.length ? languages : [defaultLanguage]) as Lang[],
      fallback,
      schedule: hours.get(String(chatId)) ?? hours.get("*") ?? Schedule.always(),
      label: [...languages, ...(fallback ? ["*"] : [])].join("+"),
    });
  }
  return { groups, takeTimeoutMinutes, retentionHours };
}

/** The group that serves a language: the one listing it, else the fallback group. */
export function groupFor(config: HandoffConfig, lang: Lang): OperatorGroup | undefined {
  return config.groups.find((g) => g.languages.includes(lang) && !g.fallback) ?? config.groups.find((g) => g.languages.includes(lang)) ?? config.groups.find((g) => g.fallback);
}
