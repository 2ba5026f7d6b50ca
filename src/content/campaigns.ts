import { z } from "zod";
import { isLang, type Lang } from "../i18n/languages";

/** Known campaign codes: only these are counted, so a link cannot inflate the statistics with made-up labels. */
export const campaignsSchema = z.object({
  campaigns: z.array(z.object({ code: z.string().regex(/^[a-z0-9]{2,24}$/), description: z.string() })),
});
export type Campaigns = z.infer<typeof campaignsSchema>;

export interface StartPayload {
  campaign?: string;
  lang?: Lang;
}

/**
 * Reads a /start deep-link payload: "riga2026-lv", "lv", "summer_uk", "riga2026".
 * Anything malformed or unknown yields {} and is never echoed back.
 */
export function parseStartPayload(payload: string, campaigns: Campaigns): StartPayload {
  const match = /^([a-z0-9]{2,24}?)(?:[-_]([a-z]{2}))?$/.exec(payload.trim().toLowerCase());
  if (!match) return {};
  const [, head = "", tail] = match;
  if (!tail && isLang(head)) return { lang: head };
  const lang = tail && isLang(tail) ? tail : undefined;
  if (tail && !lang) return {};
  const known = campaigns.campaigns.some((c) => c.code === head);
  return { ...(known ? { campaign: head } : {}), ...(lang ? { lang } : {}) };
}
