import { randomInt } from "node:crypto";
import type { PrivacyKeys } from "../../privacy/keys";
import { KEY_PREFIX, type KeyValueStore } from "../../store/kv";
import type { CountryCode, ScreeningSummary } from "../../store/session";
import type { Lang } from "../../i18n/languages";

export type CaseState = "waiting" | "taken" | "closed";

/**
 * One conversation with the hotline. Sealed as a whole (the person's chat id
 * is needed to deliver the operators' replies and must not be readable in
 * Redis), with a TTL, erased when the case closes.
 */
export interface CaseRecord {
  code: string;
  group: number;
  thread?: number;
  state: CaseState;
  lang: Lang;
  urgent: boolean;
  campaign?: string;
  /** Which country's help lines to show the person (not identifying). */
  country?: CountryCode;
  /** Only when the person chose to share it. */
  summary?: ScreeningSummary;
  /** Where to deliver replies: kept only inside the seal. */
  chat: number;
  /** The person's pseudonym, to find their open case. */
  person: string;
  createdAt: number;
  takenAt?: number;
  /** When the worker's first message reached the person (time to first reply, see case-metrics.ts). */
  firstReplyAt?: number;
  timeoutNotified?: boolean;
}

/** Case codes avoid look-alike characters (0/O, 1/I/L) so staff can read them out. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export function newCaseCode(): string {
  return Array.from({ length: 6 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}

export class CaseStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly keys: PrivacyKeys,
    readonly ttlSeconds: number,
  ) {}

  private key = (code: string) => `${KEY_PREFIX}case:${code}`;
  private threadKey = (group: number, thread: number) => `${KEY_PREFIX}case:t:${group}:${thread}`;
  private personKey = (person: string) => `${KEY_PREFIX}case:p:${person}`;
  queueKey = (group: number) => `${KEY_PREFIX}q:${group}`;

  async get(code: string): Promise<CaseRecord | undefined> {
    const key = this.key(code);
    const sealed = await this.kv.get(key);
    const json = sealed && this.keys.open(sealed, key);
    return json ? (JSON.parse(json) as CaseRecord) : undefined;
  }

  async byThread(group: number, thread: number): Promise<CaseRecord | undefined> {
    const code = await this.kv.get(this.threadKey(group, thread));
    return code ? this.get(code.toString()) : undefined;
  }

  async byPerson(person: string): Promise<CaseRecord | undefined> {
    const code = await this.kv.get(this.personKey(person));
    return code ? this.get(code.toString()) : undefined;
  }

  async save(rec: CaseRecord): Promise<void> {
    const key = this.key(rec.code);
    await this.kv.set(key, this.keys.seal(JSON.stringify(rec), key), this.ttlSeconds);
    await this.kv.set(this.personKey(rec.person), Buffer.from(rec.code), this.ttlSeconds);
    if (rec.thread !== undefined) await this.kv.set(this.threadKey(rec.group, rec.thread), Buffer.from(rec.code), this.ttlSeconds);
    // Urgent cases first, then by waiting time.
    await this.kv.zadd(this.queueKey(rec.group), (rec.urgent ? 0 : 1e13) + rec.createdAt, rec.code, this.ttlSeconds);
  }

  async remove(rec: CaseRecord): Promise<void> {
    await this.kv.del(this.key(rec.code));
    await this.kv.del(this.personKey(rec.person));
    if (rec.thread !== undefined) await this.kv.del(this.threadKey(rec.group, rec.thread));
    await this.kv.zrem(this.queueKey(rec.group), rec.code);
  }

  /** Open cases of a group, urgent first, then oldest first. Codes whose record expired leave the queue. */
  async open(group: number): Promise<CaseRecord[]> {
    const queued = await this.kv.zrange(this.queueKey(group));
    const records = await Promise.all(queued.map((q) => this.get(q.member)));
    const expired = queued.filter((_, i) => records[i] === undefined);
    await Promise.all(expired.map((q) => this.kv.zrem(this.queueKey(group), q.member)));
    return records.filter((r): r is CaseRecord => r !== undefined && r.state !== "closed");
  }
}
