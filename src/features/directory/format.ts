import type { CountryDirectory, Directory, DirectoryEntry, Hours, Purpose } from "../../content/directory";
import type { BotContext } from "../../context";
import type { TFunction } from "../../i18n";
import type { Lang } from "../../i18n/languages";
import type { CountryCode } from "../../store/session";
import { SCREEN_LIMIT } from "../../ui/pages";

/** The country a language is most likely spoken in, for a first guess while the person has not said where they are. */
const HOME_BY_LANGUAGE: Partial<Record<Lang, CountryCode>> = { az: "AZ", kk: "KZ", lv: "LV", uk: "UA" };

function hours(t: TFunction, h: Hours): string {
  if (h === "24/7") return t("directory.hours.always");
  if (h === "daily") return t("directory.hours.daily");
  if (h === "not_stated") return t("directory.hours.not_stated");
  if (h === "by_day") return t("directory.hours.by_day");
  const range = `${h.from}–${h.to}`;
  return h.days ? t(`directory.hours.${h.days}_range`, { range }) : range;
}

function languages(t: TFunction, langs: DirectoryEntry["languages"]): string | undefined {
  if (langs === "many") return t("directory.languages.many");
  if (langs.length === 0) return undefined;
  return langs.map((l) => t(`directory.language_names.${l}`)).join(", ");
}

const contact = (e: DirectoryEntry) => [e.phone && `📞 <b>${e.phone}</b>`, e.email && `✉️ <b>${e.email}</b>`].filter(Boolean).join(" · ");
const name = (t: TFunction, e: DirectoryEntry) =>
  `${t(`directory.entries.${e.id}`)}${e.notes.length ? ` (${e.notes.map((n) => t(`directory.note.${n}`)).join("; ")})` : ""}`;
const where = (t: TFunction, e: DirectoryEntry) => t(`directory.in.${e.answers_in ?? e.country}`);

/**
 * One line of a full directory page: who runs it is always said, so a person
 * knows when a line is the police.
 *   📞 <b>1547</b> · Government hotline on … (the state)
 *   Hours: 24/7 · Cost: free · anonymous · Українська
 */
export function formatEntry(t: TFunction, e: DirectoryEntry): string {
  const details = [
    `${t("directory.label.hours")}: ${hours(t, e.hours)}`,
    e.phone ? `${t("directory.label.cost")}: ${t(`directory.cost.${e.cost}`)}` : undefined,
    e.anonymous ? t("directory.anonymous") : undefined,
    languages(t, e.languages),
  ].filter(Boolean);
  return `${contact(e)}\n${name(t, e)} · <i>${t(`directory.operator.${e.operator_type}`)}</i>\n${details.join(" · ")}`;
}

/**
 * One line of a short list (panels, results, "talk to a person"): the number,
 * what the line is, who runs it, when it answers, and where it works.
 */
export function shortEntry(t: TFunction, e: DirectoryEntry): string {
  const details = [t(`directory.operator.${e.operator_type}`), hours(t, e.hours), e.cost === "free" ? t("directory.cost.free") : undefined, e.anonymous ? t("directory.anonymous") : undefined, where(t, e)];
  return `${contact(e)} — ${name(t, e)}\n<i>${details.filter(Boolean).join(" · ")}</i>`;
}

export function countryOf(directory: Directory, code: CountryCode): CountryDirectory {
  const found = directory.countries.find((c) => c.code === code);
  if (!found) throw new Error(`directory has no country ${code}`);
  return found;
}

function entry(directory: Directory, id: string): DirectoryEntry {
  const found = directory.entries.find((e) => e.id === id);
  if (!found) throw new Error(`directory has no entry ${id}`);
  return found;
}

/** "🆘 In danger right now? Call 112 · police 102" for a country; the general 112 note for another country. */
export function emergencyLine(t: TFunction, directory: Directory, code: CountryCode | undefined): string {
  const numbers = code ? countryOf(directory, code).emergency.map((id) => entry(directory, id)) : [];
  if (!numbers.length) return t("panel.title_anywhere");
  const [first, ...rest] = numbers;
  const more = rest.map((e) => t(`directory.emergency_other.${e.operator_type}`, { number: e.phone ?? "" }));
  return t("panel.title", { number: first?.phone ?? "", more: more.length ? ` · ${more.join(" · ")}` : "" });
}

/**
 * The short list for a purpose in a country: the lines of the person's home
 * that answer abroad first (a Ukrainian speaker outside Ukraine gets 1547's
 * number from abroad), then the country's own list, then, for a child, the
 * lines for children and young people.
 */
export function listFor(directory: Directory, code: CountryCode, purpose: Purpose, lang: Lang, child = false): DirectoryEntry[] {
  const c = countryOf(directory, code);
  const home = directory.home_abroad[lang];
  const ids = [
    ...(home && home.home !== code && purpose !== "children" ? home.lines : []),
    ...c.lists[purpose],
    ...(child && purpose !== "children" ? c.lists.children : []),
  ];
  return [...new Set(ids)].map((id) => entry(directory, id));
}

export interface HelpOptions {
  purpose: Purpose;
  child?: boolean;
  /** Defaults to the country the person chose. */
  country?: CountryCode;
  /** The caller shows country buttons with the lines: say so when the country is not known. */
  withCountryButtons?: boolean;
  /** Characters the blocks may take, so the screen fits a phone; lines that do not fit are left to the full directory. */
  room?: number;
}

/**
 * The blocks of help for a purpose: the emergency line, then the short list of
 * the person's country. Without a country, the likely country of their
 * language (said as a guess), or only the general emergency note; the callers
 * add the country buttons (countryButtons).
 */
export function helpLines(ctx: BotContext, { purpose, child = false, country = ctx.session.country, withCountryButtons = false, room = SCREEN_LIMIT }: HelpOptions): string[] {
  const { t } = ctx;
  const directory = ctx.deps.content.directory;
  const code = country ?? HOME_BY_LANGUAGE[ctx.lang];
  const elsewhere = t(withCountryButtons ? "panel.choose_below" : "panel.more_in_help");
  if (!code) return [emergencyLine(t, directory, undefined), elsewhere];
  const lines = listFor(directory, code, purpose, ctx.lang, child).map((e) => shortEntry(t, e));
  const gap = countryOf(directory, code).gap_note ? [`<i>${t(`directory.gap.${code}`)}</i>`] : [];
  const guess = country ? [] : [`${t("panel.guessed_country", { country: t(`country.${code}`) })} ${elsewhere}`];
  const blocks = (shown: string[], more: string[]) => [emergencyLine(t, directory, code), ...guess, ...shown, ...gap, ...more];
  const size = (b: string[]) => b.join("\n\n").length;
  let shown = lines;
  const more = [t("panel.more_in_help")];
  while (shown.length > 1 && size(blocks(shown, shown === lines ? [] : more)) > room) shown = shown.slice(0, -1);
  return blocks(shown, shown === lines ? [] : more);
}

/** The emergency panel as text, for screens that add it below their own words. */
export function emergencyPanel(ctx: BotContext, purpose: Purpose = "danger", lead = ""): string {
  return [lead, ...helpLines(ctx, { purpose, room: SCREEN_LIMIT - lead.length - 2 })].filter(Boolean).join("\n\n");
}

/** Every entry of a country, for its pages in the directory (each block one entry). */
export function countryBlocks(ctx: BotContext, code: CountryCode): string[] {
  const { t } = ctx;
  const directory = ctx.deps.content.directory;
  const c = countryOf(directory, code);
  return [
    `<b>${t(`country.${code}`)}</b>\n${emergencyLine(t, directory, code === "INT" ? undefined : code)}`,
    ...(c.gap_note ? [`<i>${t(`directory.gap.${code}`)}</i>`] : []),
    ...listFor(directory, code, "danger", ctx.lang).filter((e) => e.country !== code).map((e) => formatEntry(t, e)),
    ...directory.entries.filter((e) => e.country === code && e.operator_type !== "emergency").map((e) => formatEntry(t, e)),
  ];
}

/** The panel in a given language, outside a person's update (the hotline worker's side). */
export function emergencyPanelIn(t: TFunction, lang: Lang, directory: Directory, code: CountryCode | undefined): string {
  const known = code ?? HOME_BY_LANGUAGE[lang];
  if (!known) return `${emergencyLine(t, directory, undefined)}`;
  return [emergencyLine(t, directory, known), ...listFor(directory, known, "danger", lang).map((e) => shortEntry(t, e))].join("\n\n");
}
