import type { Directory, DirectoryEntry, Hours } from "../../content/directory";
import type { TFunction } from "../../i18n";
import type { BotContext } from "../../context";
import type { CountryCode } from "../../store/session";

function hours(t: TFunction, h: Hours): string {
  if (h === "24/7") return t("directory.hours.always");
  if (h === "daily") return t("directory.hours.daily");
  if (h === "not_stated") return t("directory.hours.not_stated");
  const range = `${h.from}–${h.to}`;
  return h.days ? t(`directory.hours.${h.days}_range`, { range }) : range;
}

function languages(t: TFunction, langs: DirectoryEntry["languages"]): string | undefined {
  if (langs === "many") return t("directory.languages.many");
  if (langs.length === 0) return undefined;
  return langs.map((l) => t(`directory.language_names.${l}`)).join(", ");
}

/**
 * One line of help, e.g.
 *   <b>1547</b> — Government hotline … (government)
 *   24/7 · free · Українська, Русский
 * Who runs the line is always said: people must know when a line is the police.
 */
export function formatEntry(t: TFunction, e: DirectoryEntry): string {
  const contact = [e.phone && `📞 <b>${e.phone}</b>`, e.email && `✉️ <b>${e.email}</b>`].filter(Boolean).join(" · ");
  const name = t(`directory.entries.${e.id}`);
  const note = e.note ? ` <i>(${t(`directory.note.${e.note}`)})</i>` : "";
  const details = [
    `${t("directory.label.hours")}: ${hours(t, e.hours)}`,
    e.phone ? `${t("directory.label.cost")}: ${t(`directory.cost.${e.cost}`)}` : undefined,
    languages(t, e.languages),
  ].filter(Boolean);
  return `${contact}\n${name}${note}\n${t("directory.label.run_by")}: <b>${t(`directory.operator.${e.operator_type}`)}</b>\n${details.join(" · ")}`;
}

function country(ctx: BotContext, code: CountryCode) {
  const found = ctx.deps.content.directory.countries.find((c) => c.code === code);
  if (!found) throw new Error(`directory has no country ${code}`);
  return found;
}

/** The full directory page of one country. */
export function countryPage(ctx: BotContext, code: CountryCode): string {
  const c = country(ctx, code);
  const t = ctx.t;
  return [
    `<b>${t(`country.${code}`)}</b>`,
    code === "INT" ? t("directory.emergency_int") : t("directory.emergency", { number: c.emergency }),
    ...(c.gap_note ? [t(`directory.gap.${code}`)] : []),
    ...c.entries.map((e) => formatEntry(t, e)),
    t("directory.footer"),
  ].join("\n\n");
}

/**
 * The emergency panel: the emergency number, then the lines marked `panel`
 * (police and the main lines) for the person's country, or for every country
 * when we do not know it.
 */
export function emergencyPanelText(t: TFunction, directory: Directory, code?: CountryCode): string {
  const countries = code ? directory.countries.filter((c) => c.code === code) : directory.countries.filter((c) => c.code !== "INT");
  const lines = countries.map((c) => {
    const list = c.entries
      .filter((e) => e.panel)
      .map((e) => `• <b>${e.phone ?? e.email ?? ""}</b> — ${t(`directory.entries.${e.id}`)} (${t(`directory.operator.${e.operator_type}`)})`);
    const gap = c.gap_note ? [`<i>${t(`directory.gap.${c.code}`)}</i>`] : [];
    return [`<b>${t(`country.${c.code}`)}</b>`, ...list, ...gap].join("\n");
  });
  const emergency = countries.length === 1 && countries[0] ? countries[0].emergency : "112";
  // 112 is not everyone's number outside Europe: the international panel says where it works.
  const title = code === "INT" ? t("directory.emergency_int") : t("panel.title", { number: emergency });
  return [title, ...lines, t("panel.footer")].join("\n\n");
}

export function emergencyPanel(ctx: BotContext, code = ctx.session.country): string {
  return emergencyPanelText(ctx.t, ctx.deps.content.directory, code);
}
