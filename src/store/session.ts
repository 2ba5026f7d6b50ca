import { z } from "zod";
import { LANGUAGES } from "../i18n/languages";
import type { PrivacyKeys } from "../privacy/keys";
import { KEY_PREFIX, type KeyValueStore } from "./kv";

/** Where a person may be: the four home countries, the main destinations, and anywhere else. */
export const COUNTRY_CODES = ["AZ", "KZ", "LV", "UA", "RU", "TR", "AE", "KR", "PL", "DE", "CZ", "INT"] as const;
export type CountryCode = (typeof COUNTRY_CODES)[number];

export const ANSWERS = ["yes", "no", "unsure", "skip"] as const;

/** Quick exit can only delete what it knows about; Telegram allows 48 h, our TTL is far shorter. */
export const MAX_TRACKED_MESSAGES = 400;

const screeningStateSchema = z.object({
  /** Random per run: buttons from an earlier run are recognised as stale. */
  run: z.string().max(8),
  track: z.string().max(32),
  step: z.number().int().min(0),
  phase: z.enum(["question", "pause", "urgent", "urgent_choice", "paused"]),
  /** The person already said they are in danger now: the follow-up is not asked again. */
  urgentSeen: z.boolean().optional(),
  /** Answers so far, by question id. Erased when the result is shown. */
  answers: z.record(z.string().max(16), z.string().max(32)),
});

const questionIds = z.array(z.string().max(16)).max(32);
const screeningSummarySchema = z.object({
  track: z.string().max(32),
  tier: z.number().int().min(1).max(3),
  /** Ids of the questions answered yes, and not sure (no other answers are kept). */
  yes: questionIds,
  unsure: questionIds,
  /** The rules that set the tier, with the signs behind each: the result says why. */
  rules: z.array(z.object({ id: z.string().max(32), signs: questionIds })).max(16),
  child: z.boolean(),
  skippedMany: z.boolean(),
  unsureMany: z.boolean(),
  /** The topic offered with the result. */
  readMore: z.string().max(32),
});

export const sessionSchema = z.object({
  lang: z.enum(LANGUAGES).optional(),
  country: z.enum(COUNTRY_CODES).optional(),
  campaign: z.string().max(32).optional(),
  urgent: z.boolean().optional(),
  /** Ids of this conversation's messages (ours and theirs), for quick exit. */
  messages: z.array(z.number().int()).max(MAX_TRACKED_MESSAGES).default([]),
  screening: screeningStateSchema.optional(),
  /** The case code shown on the consent screen, until the person connects or declines. */
  consent: z.string().max(12).optional(),
  summary: screeningSummarySchema.optional(),
  /** When this session was last written (Unix seconds): see SessionStore.save. */
  savedAt: z.number().int().optional(),
});

export type SessionData = z.infer<typeof sessionSchema>;
export type ScreeningState = z.infer<typeof screeningStateSchema>;
export type ScreeningSummary = z.infer<typeof screeningSummarySchema>;

export function emptySession(): SessionData {
  return { messages: [] };
}

/** An unchanged session is written again (to slide its TTL) once it is this old. */
export const SESSION_REFRESH_SECONDS = 60;

/** Sessions under a pseudonymous key, sealed, with a sliding TTL. */
export class SessionStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly keys: PrivacyKeys,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  key(pseudonym: string): string {
    return `${KEY_PREFIX}s:${pseudonym}`;
  }

  async read(pseudonym: string): Promise<SessionData | undefined> {
    const key = this.key(pseudonym);
    const sealed = await this.kv.get(key);
    if (!sealed) return undefined;
    const json = this.keys.open(sealed, key);
    if (json === undefined) return undefined;
    try {
      const parsed = sessionSchema.safeParse(JSON.parse(json));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Writes the session back after an update, unless it is exactly as read
   * (`asRead`, its JSON then) and was written less than a minute ago: reading
   * topics or the directory then costs no write. A session therefore expires
   * between ttl − 1 min and ttl after the person's last step.
   */
  async save(pseudonym: string, data: SessionData, asRead?: string): Promise<void> {
    const now = Math.floor(this.now() / 1000);
    if (asRead !== undefined && now - (data.savedAt ?? 0) < SESSION_REFRESH_SECONDS && JSON.stringify(data) === asRead) return;
    data.savedAt = now;
    await this.write(pseudonym, data);
  }

  async write(pseudonym: string, data: SessionData): Promise<void> {
    const key = this.key(pseudonym);
    await this.kv.set(key, this.keys.seal(JSON.stringify(data), key), this.ttlSeconds);
  }

  async delete(pseudonym: string): Promise<void> {
    await this.kv.del(this.key(pseudonym));
  }
}
