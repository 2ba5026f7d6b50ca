import { z } from "zod";
import { COUNTRY_CODES } from "../store/session";

export const ENTRY_NOTES = [
  "office_line",
  "government_funded",
  "children_youth",
  "crime_victims",
  "police_unit",
  "citizens_abroad",
  "mobile_short",
  "from_abroad",
  "missing_children",
  "in_uk",
  "in_us",
  "in_russia_children",
] as const;

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** Opening hours as data, so each language can word them its own way. */
export const hoursSchema = z.union([
  z.literal("24/7"),
  z.literal("not_stated"),
  z.literal("daily"),
  z.object({ days: z.enum(["daily", "weekdays"]).optional(), from: time, to: time }),
]);

export const entrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/),
    /** A phone number exactly as it is dialled, or an e-mail address. */
    phone: z.string().regex(/^\+?[0-9][0-9 -]{1,20}$/).optional(),
    email: z.email().optional(),
    operator_type: z.enum(["ngo", "government", "police", "intergovernmental"]),
    hours: hoursSchema,
    cost: z.enum(["free", "not_stated"]),
    /** ISO codes of the languages the line is known to answer in; "many" for 100+. */
    languages: z.union([z.array(z.enum(["az", "kk", "lv", "uk", "ru", "en", "pl"])), z.literal("many")]),
    /** A short qualifier worded in locales (directory.note.*), e.g. "for children and young people". */
    note: z.enum(ENTRY_NOTES).optional(),
    /** Shown in the emergency panel (urgent words, errors, serious results). */
    panel: z.boolean().default(false),
    /** Where the number was read, as given in shared/research. */
    source: z.string().min(5),
    /** The research's verification tag; recalled [R] entries are never shipped. */
    verification: z.enum(["V", "V-old", "V-2nd"]),
    /** The date the entry was last confirmed against its source. */
    verified_on: z.iso.date(),
  })
  .refine((e) => e.phone || e.email, { message: "an entry needs a phone or an e-mail" });

export const directorySchema = z.object({
  countries: z
    .array(
      z.object({
        code: z.enum(COUNTRY_CODES),
        emergency: z.string().regex(/^[0-9]{3}$/),
        /** No confirmed round-the-clock line yet: the panel says so (locales: directory.gap.<code>). */
        gap_note: z.boolean().default(false),
        entries: z.array(entrySchema).min(1),
      }),
    )
    .length(COUNTRY_CODES.length),
});

export type Directory = z.infer<typeof directorySchema>;
export type DirectoryEntry = z.infer<typeof entrySchema>;
export type Hours = z.infer<typeof hoursSchema>;

/** Entries whose verification is older than maxAgeDays on `today`: flagged in the logs at start. */
export function staleEntries(directory: Directory, maxAgeDays: number, today = new Date()): DirectoryEntry[] {
  const limit = today.getTime() - maxAgeDays * 86_400_000;
  return directory.countries.flatMap((c) => c.entries).filter((e) => Date.parse(e.verified_on) < limit);
}
