import { z } from "zod";
import { LANGUAGES } from "../i18n/languages";
import { COUNTRY_CODES } from "../store/session";

/** A qualifier worded in locales (directory.note.*), shown after a line's name. */
export const ENTRY_NOTES = [
  "children_youth",
  "women",
  "crime_victims",
  "citizens_abroad_lv",
  "citizens_abroad_ua",
  "mobile_short",
  "landline",
  "inside_country_only",
  "missing_children",
  "by_appointment",
  "works_with_police",
  "migration_authority",
  "russian_state",
  "text_too",
] as const;

/** What a country's short lists are for: each answer of the bot shows the list that fits. */
export const PURPOSES = ["danger", "trafficking", "sexual_violence", "self_harm", "children"] as const;
export type Purpose = (typeof PURPOSES)[number];

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** Opening hours as data, so each language can word them its own way. */
export const hoursSchema = z.union([
  z.literal("24/7"),
  z.literal("not_stated"),
  z.literal("daily"),
  z.literal("by_day"),
  z.object({ days: z.enum(["daily", "weekdays"]).optional(), from: time, to: time }),
]);

/** Where a claim was read: the page, the words that show it, and the page's own date. */
const sourceSchema = z.strictObject({
  url: z.url(),
  quote: z.string().min(5),
  page_date: z.union([z.iso.date(), z.string().regex(/^\d{4}(-\d{2})?$/), z.literal("undated")]),
});

/** Where a line answers: a country the bot knows, or one it lists under "another country". */
export const WHERE_CODES = [...COUNTRY_CODES.filter((c) => c !== "INT"), "GB", "US", "EUROPE"] as const;

export const entrySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9_]+$/),
    /** The country whose page lists the line. */
    country: z.enum(COUNTRY_CODES),
    /** Where the line answers, when that is not `country` (the UK's line on the "another country" page). */
    answers_in: z.enum(WHERE_CODES).optional(),
    /** A phone number exactly as it is dialled, or an e-mail address. */
    phone: z.string().regex(/^\+?[0-9][0-9A-Z -]{1,20}$/).optional(),
    email: z.email().optional(),
    operator_type: z.enum(["emergency", "ngo", "government", "police", "intergovernmental"]),
    hours: hoursSchema,
    cost: z.enum(["free", "not_stated", "paid"]),
    /** ISO codes of the languages the line is known to answer in; "many" for 100+. */
    languages: z.union([z.array(z.enum([...LANGUAGES, "pl", "de", "cs", "tr", "ko", "ar", "uz"])), z.literal("many")]).default([]),
    /** Only when the source says callers may stay anonymous. */
    anonymous: z.boolean().optional(),
    notes: z.array(z.enum(ENTRY_NOTES)).default([]),
    /** The best page for the number and each claim, with the words that show them; more pages in `also`. */
    source: sourceSchema,
    also: z.array(sourceSchema).default([]),
    /** The research's tag: V (current official or operator page), V-old (older or undated), V-2nd (secondary page). */
    verification: z.enum(["V", "V-old", "V-2nd"]),
    /** The date the entry was last checked against its source. */
    verified_on: z.iso.date(),
  })
  .refine((e) => e.phone || e.email, { message: "an entry needs a phone or an e-mail" });

export const directorySchema = z
  .strictObject({
    $comment: z.string().optional(),
    entries: z.array(entrySchema).min(1),
    countries: z
      .array(
        z.strictObject({
          code: z.enum(COUNTRY_CODES),
          /** The numbers to call in immediate danger, first the one to call first (ids of entries). */
          emergency: z.array(z.string()),
          /** The short lists, in the order they are shown (ids of entries); the full page shows every entry of the country. */
          lists: z.strictObject(Object.fromEntries(PURPOSES.map((p) => [p, z.array(z.string()).default([])])) as Record<Purpose, z.ZodDefault<z.ZodArray<z.ZodString>>>),
          /** An honest note where a list has a gap (locales: directory.gap.<code>). */
          gap_note: z.boolean().default(false),
        }),
      )
      .length(COUNTRY_CODES.length),
    /** Lines of a person's home that answer abroad, shown first to a person of that language outside the home country. */
    home_abroad: z.partialRecord(z.enum(LANGUAGES), z.strictObject({ home: z.enum(COUNTRY_CODES), lines: z.array(z.string()).min(1) })).default({}),
  })
  .superRefine((doc, ctx) => {
    const ids = new Map(doc.entries.map((e) => [e.id, e]));
    if (ids.size !== doc.entries.length) ctx.addIssue({ code: "custom", path: ["entries"], message: "duplicate entry id" });
    const codes = new Set(doc.countries.map((c) => c.code));
    for (const code of COUNTRY_CODES) if (!codes.has(code)) ctx.addIssue({ code: "custom", path: ["countries"], message: `no country ${code}` });
    const known = (id: string, path: (string | number)[]) => {
      if (!ids.has(id)) ctx.addIssue({ code: "custom", path, message: `unknown entry ${id}` });
    };
    doc.countries.forEach((c, i) => {
      c.emergency.forEach((id, j) => known(id, ["countries", i, "emergency", j]));
      for (const p of PURPOSES) c.lists[p].forEach((id, j) => known(id, ["countries", i, "lists", p, j]));
    });
    for (const [lang, abroad] of Object.entries(doc.home_abroad)) abroad.lines.forEach((id, j) => known(id, ["home_abroad", lang, j]));
  });

export type Directory = z.infer<typeof directorySchema>;
export type DirectoryEntry = z.infer<typeof entrySchema>;
export type Hours = z.infer<typeof hoursSchema>;
export type CountryDirectory = Directory["countries"][number];

/** Entries whose check is older than maxAgeDays on `today`: flagged in the logs at start. */
export function staleEntries(directory: Directory, maxAgeDays: number, today = new Date()): DirectoryEntry[] {
  const limit = today.getTime() - maxAgeDays * 86_400_000;
  return directory.entries.filter((e) => Date.parse(e.verified_on) < limit);
}
