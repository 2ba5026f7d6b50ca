import { GrammyError, InlineKeyboard, type Api } from "grammy";
import type { BotDeps } from "../../context";
import { describeError } from "../../errors";
import type { Lang } from "../../i18n/languages";
import { Counters } from "../../store/counters";
import { KEY_PREFIX } from "../../store/kv";
import type { ScreeningSummary } from "../../store/session";
import { emergencyPanelIn } from "../directory/format";
import { cb } from "../../ui/callback-data";
import { withExitIn } from "../../ui/screen";
import { CaseMetrics } from "./case-metrics";
import { CaseStore, newCaseCode, type CaseRecord } from "./cases";
import { groupFor, type HandoffConfig, type OperatorGroup } from "./config";

/** A copy of the person's message(s) waiting to go into the operators' topic. */
interface RelayJob {
  code: string;
  from: number;
  ids: number[];
}

const CASE_TTL_SECONDS = 24 * 3600;
const RETENTION_KEY = `${KEY_PREFIX}retention`;
/** Telegram delivers an album as one update per item; items arriving this close together are copied as one album. */
const ALBUM_WINDOW_MS = 800;

/**
 * The operator handoff: cases, the forum topic of each, the relay both ways,
 * and the timers (take timeout, retention). Everything the person sends into
 * a group goes through a Redis-backed queue per group, so Telegram's ~20
 * messages a minute per group delays messages but never loses one.
 */
export class Handoff {
  readonly cases: CaseStore;
  readonly caseMetrics: CaseMetrics;
  private api?: Api;
  private readonly draining = new Map<number, Promise<void>>();
  private readonly albums = new Map<string, { code: string; from: number; group: number; ids: number[]; timer: NodeJS.Timeout }>();

  constructor(
    private readonly deps: Omit<BotDeps, "handoff">,
    readonly config: HandoffConfig,
  ) {
    this.cases = new CaseStore(deps.kv, deps.keys, CASE_TTL_SECONDS);
    this.caseMetrics = new CaseMetrics(deps, config, this.cases);
  }

  /** Called by createBot: the queue worker and timers send through the bot's API (auto-retry included). */
  attach(api: Api): void {
    this.api = api;
  }

  private get tg(): Api {
    if (!this.api) throw new Error("handoff used before createBot attached the API");
    return this.api;
  }

  groupById(chatId: number | undefined): OperatorGroup | undefined {
    return this.config.groups.find((g) => g.chatId === chatId);
  }

  groupFor(lang: Lang): OperatorGroup | undefined {
    return groupFor(this.config, lang);
  }

  t(lang: Lang) {
    return this.deps.i18n.getFixedT(lang);
  }

  /** The language staff of a group read. */
  groupLang(group: number): Lang {
    return this.groupById(group)?.languages[0] ?? this.deps.settings.defaultLanguage;
  }

  topicName(rec: CaseRecord): string {
    return `${rec.urgent ? "❗" : ""}#${rec.code} · ${rec.lang} · ${rec.state}`;
  }

  /** What the operators see about a shared self-check (in the group's language). */
  summaryLines(summary: ScreeningSummary, lang: Lang): string {
    const t = this.t(lang);
    const lines = [
      t("handoff.summary.track", { track: t(`screening.track.${summary.track}`) }),
      t("handoff.summary.tier", { tier: t(`screening.result.title.${summary.track}_${summary.tier}`).replace(/<\/?b>/g, "") }),
    ];
    const signs = [...summary.yes, ...summary.unsure];
    if (signs.length) lines.push(t("handoff.summary.signs", { signs: signs.map((id) => t(`screening.q.${id}.sign`)).join("; ") }));
    if (summary.skippedMany) lines.push(t("handoff.summary.skipped"));
    return lines.join("\n");
  }

  cardText(rec: CaseRecord): string {
    const lang = this.groupLang(rec.group);
    const t = this.t(lang);
    const parts = [
      t("operator.card", { code: rec.code, language: t(`directory.language_names.${rec.lang}`), urgent: t(rec.urgent ? "operator.yes" : "operator.no") }),
    ];
    if (rec.campaign) parts.push(t("operator.card_campaign", { campaign: rec.campaign }));
    parts.push(rec.summary ? `${t("operator.card_summary")}\n${this.summaryLines(rec.summary, lang)}` : t("operator.card_no_summary"));
    return parts.join("\n");
  }

  cardKeyboard(rec: CaseRecord): InlineKeyboard {
    const t = this.t(this.groupLang(rec.group));
    return new InlineKeyboard().text(t("operator.take"), cb("op", "take", rec.code)).text(t("operator.close"), cb("op", "close", rec.code));
  }

  /**
   * Opens a case: the record, its forum topic (single-flight: a SET NX lock, so
   * a double press never opens two topics), and the card with only the facts
   * the person agreed to show.
   */
  async open(input: Omit<CaseRecord, "group" | "state" | "createdAt">): Promise<CaseRecord | undefined> {
    const group = this.groupFor(input.lang);
    if (!group) return undefined;
    const existing = await this.cases.byPerson(input.person);
    if (existing && existing.state !== "closed") return existing;
    const lock = `${KEY_PREFIX}lock:case:${input.person}`;
    if (!(await this.deps.kv.setIfAbsent(lock, "1", 30))) return this.cases.byPerson(input.person);
    try {
      const rec: CaseRecord = { ...input, code: input.code || newCaseCode(), group: group.chatId, state: "waiting", createdAt: Date.now() };
      const topic = await this.tg.createForumTopic(group.chatId, this.topicName(rec));
      rec.thread = topic.message_thread_id;
      await this.cases.save(rec);
      // Even if the record expires unseen, its topic is deleted in the end.
      await this.deps.kv.zadd(RETENTION_KEY, rec.createdAt + (CASE_TTL_SECONDS + this.config.retentionHours * 3600) * 1000, `${rec.group}:${rec.thread}`, CASE_TTL_SECONDS * 30);
      await this.tg.sendMessage(group.chatId, this.cardText(rec), { message_thread_id: rec.thread, parse_mode: "HTML", reply_markup: this.cardKeyboard(rec) });
      this.caseMetrics.opened(rec);
      return rec;
    } finally {
      // Held only while opening: after a failure the person can try again at once.
      await this.deps.kv.del(lock).catch(() => undefined);
    }
  }

  /** Place in the group's queue (1 = next), among cases still waiting. */
  async position(rec: CaseRecord): Promise<number> {
    const waiting = (await this.cases.open(rec.group)).filter((c) => c.state === "waiting");
    return Math.max(1, waiting.findIndex((c) => c.code === rec.code) + 1);
  }

  /** Today's average time until a case is taken, in minutes, once there are enough cases to say. */
  async expectedWaitMinutes(): Promise<number | undefined> {
    const today = await this.deps.counters.day(this.deps.counters.today());
    const taken = Counters.total(today, "case_taken");
    return taken >= 3 ? Math.max(1, Math.round(Counters.total(today, "case_wait_seconds") / taken / 60)) : undefined;
  }

  async take(rec: CaseRecord): Promise<void> {
    rec.state = "taken";
    rec.takenAt = Date.now();
    await this.cases.save(rec);
    this.caseMetrics.taken(rec);
    await this.renameTopic(rec);
    await this.tellPerson(rec, this.t(rec.lang)("handoff.joined"), new InlineKeyboard().text(this.t(rec.lang)("handoff.end"), cb("case", "end", rec.code)));
  }

  /**
   * Ends a case, whoever ends it: both sides are told where possible, the
   * topic is closed and scheduled for deletion, and the record is erased.
   */
  async close(rec: CaseRecord, by: "operator" | "person" | "exit" | "blocked"): Promise<void> {
    rec.state = "closed";
    await this.cases.remove(rec);
    this.caseMetrics.closed(rec, by);
    const ops = this.t(this.groupLang(rec.group));
    if (rec.thread !== undefined) {
      const notice = by === "blocked" ? ops("operator.person_blocked") : by === "operator" ? undefined : ops("operator.person_left");
      if (notice) await this.toGroup(rec, notice);
      const hours = this.config.retentionHours;
      await this.toGroup(rec, hours > 0 ? ops("operator.closed", { hours }) : ops("operator.closed_now"));
      await this.renameTopic(rec);
      await this.safely("closeForumTopic", () => this.tg.closeForumTopic(rec.group, rec.thread!));
      if (hours === 0) await this.deleteTopic(rec.group, rec.thread);
      else await this.deps.kv.zadd(RETENTION_KEY, Date.now() + hours * 3_600_000, `${rec.group}:${rec.thread}`, (hours + 24) * 3600);
    }
    if (by === "operator") await this.tellPerson(rec, this.t(rec.lang)("handoff.ended_by_worker"));
  }

  /** Quick exit, /delete or blocking the bot: the person's open case, if any, ends too. */
  async closeFor(person: string, by: "exit" | "blocked"): Promise<void> {
    const rec = await this.cases.byPerson(person).catch(() => undefined);
    if (rec) await this.close(rec, by);
  }

  private async deleteTopic(group: number, thread: number): Promise<void> {
    await this.safely("deleteForumTopic", () => this.tg.deleteForumTopic(group, thread));
    await this.deps.kv.zrem(RETENTION_KEY, `${group}:${thread}`);
  }

  private async renameTopic(rec: CaseRecord): Promise<void> {
    if (rec.thread === undefined) return;
    await this.safely("editForumTopic", () => this.tg.editForumTopic(rec.group, rec.thread!, { name: this.topicName(rec) }));
  }

  async toGroup(rec: CaseRecord, text: string): Promise<void> {
    await this.safely("sendMessage", () => this.tg.sendMessage(rec.group, text, { message_thread_id: rec.thread, parse_mode: "HTML" }));
  }

  /** A message to the person, with quick exit; a 403 means they blocked the bot, which ends the case. */
  async tellPerson(rec: CaseRecord, text: string, keyboard?: InlineKeyboard): Promise<boolean> {
    try {
      await this.tg.sendMessage(rec.chat, text, { parse_mode: "HTML", reply_markup: withExitIn(this.t(rec.lang), keyboard) });
      return true;
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 403 && rec.state !== "closed") await this.close(rec, "blocked");
      else this.deps.log.warn({ event: "handoff_person_unreachable", case: rec.code, error: describeError(error) });
      return false;
    }
  }

  private async safely(step: string, call: () => Promise<unknown>): Promise<void> {
    await call().catch((error: unknown) => this.deps.log.warn({ event: "handoff_step_failed", step, error: describeError(error) }));
  }

  // ── the relay into the groups ─────────────────────────────────────────────

  private queueKey = (group: number) => `${KEY_PREFIX}rq:${group}`;

  /** Queues the person's message; albums are gathered for a moment and copied together. */
  async relayFromPerson(rec: CaseRecord, messageId: number, mediaGroup?: string): Promise<void> {
    if (!mediaGroup) return this.enqueue(rec.group, { code: rec.code, from: rec.chat, ids: [messageId] });
    const key = `${rec.code}:${mediaGroup}`;
    const album = this.albums.get(key);
    if (album) {
      album.ids.push(messageId);
      return;
    }
    const timer = setTimeout(() => void this.flushAlbum(key), ALBUM_WINDOW_MS);
    timer.unref();
    this.albums.set(key, { code: rec.code, from: rec.chat, group: rec.group, ids: [messageId], timer });
  }

  /** Sends gathered albums now (also used by tests instead of waiting). */
  async flushAlbums(): Promise<void> {
    await Promise.all([...this.albums.keys()].map((k) => this.flushAlbum(k)));
  }

  private async flushAlbum(key: string): Promise<void> {
    const album = this.albums.get(key);
    if (!album) return;
    this.albums.delete(key);
    clearTimeout(album.timer);
    await this.enqueue(album.group, { code: album.code, from: album.from, ids: album.ids.sort((a, b) => a - b) });
  }

  private async enqueue(group: number, job: RelayJob): Promise<void> {
    const key = this.queueKey(group);
    // The job holds the person's chat id, so it is sealed like everything else.
    await this.deps.kv.push(key, this.deps.keys.seal(JSON.stringify(job), key).toString("base64"), CASE_TTL_SECONDS);
    void this.drainGroup(group);
  }

  /** Waits until every group's queue is empty (tests; shutdown). */
  async drain(): Promise<void> {
    await Promise.all(this.config.groups.map((g) => this.drainGroup(g.chatId)));
  }

  /** One worker per group in this process, so a group's messages keep their order. */
  private drainGroup(group: number): Promise<void> {
    const running = this.draining.get(group);
    if (running) return running;
    const run = this.runQueue(group).finally(() => this.draining.delete(group));
    this.draining.set(group, run);
    return run;
  }

  private async runQueue(group: number): Promise<void> {
    const key = this.queueKey(group);
    for (;;) {
      const raw = await this.deps.kv.pop(key);
      if (raw === undefined) return;
      const json = this.deps.keys.open(Buffer.from(raw, "base64"), key);
      if (!json) continue;
      const job = JSON.parse(json) as RelayJob;
      const rec = await this.cases.get(job.code);
      if (!rec || rec.thread === undefined) continue; // the case ended meanwhile
      try {
        const options = { message_thread_id: rec.thread, protect_content: true };
        if (job.ids.length > 1) await this.tg.copyMessages(group, job.from, job.ids, options);
        else await this.tg.copyMessage(group, job.from, job.ids[0]!, options);
      } catch (error) {
        if (error instanceof GrammyError && error.error_code === 429) {
          // Still limited after auto-retry's attempts: put it back first in line and wait.
          await this.deps.kv.push(key, raw, CASE_TTL_SECONDS, true);
          await new Promise((r) => setTimeout(r, (error.parameters.retry_after ?? 5) * 1000).unref());
          continue;
        }
        this.deps.log.warn({ event: "relay_failed", case: rec.code, error: describeError(error) });
        await this.tellPerson(rec, this.t(rec.lang)("handoff.not_delivered"));
      }
    }
  }

  // ── timers ─────────────────────────────────────────────────────────────────

  /**
   * Runs every half minute (and on demand in tests): tells people whose case
   * nobody took within the timeout, and deletes topics whose retention ended.
   */
  async sweep(now = Date.now()): Promise<void> {
    for (const group of this.config.groups) {
      for (const rec of await this.cases.open(group.chatId)) {
        if (rec.state !== "waiting" || rec.timeoutNotified) continue;
        if (now - rec.createdAt < this.config.takeTimeoutMinutes * 60_000) continue;
        rec.timeoutNotified = true;
        await this.cases.save(rec);
        this.caseMetrics.timedOut(rec);
        await this.tellPerson(rec, `${this.waitingNotice(rec, "handoff.take_timeout", now)}\n\n${this.panel(rec)}`, this.waitingKeyboard(rec));
      }
    }
    for (const due of await this.deps.kv.zrange(RETENTION_KEY)) {
      if (due.score > now) break;
      const [group, thread] = due.member.split(":").map(Number);
      if (group !== undefined && thread !== undefined) await this.deleteTopic(group, thread);
    }
  }

  /** The emergency panel for the person's country, in their language. */
  panel(rec: CaseRecord): string {
    return emergencyPanelIn(this.t(rec.lang), rec.lang, this.deps.content.directory, rec.country);
  }

  waitingKeyboard(rec: CaseRecord): InlineKeyboard {
    const t = this.t(rec.lang);
    return new InlineKeyboard().text(t("handoff.keep_waiting"), cb("case", "wait", rec.code)).text(t("handoff.cancel"), cb("case", "cancel", rec.code));
  }

  /** "Not on shift / nobody took it yet", with when the team is next on shift (the callers add the help lines). */
  waitingNotice(rec: CaseRecord, key: string, now: number): string {
    const t = this.t(rec.lang);
    const group = this.groupById(rec.group);
    const next = group?.schedule.nextOpening(new Date(now));
    const when = next
      ? new Intl.DateTimeFormat(rec.lang, { weekday: "long", hour: "2-digit", minute: "2-digit", timeZone: group?.schedule.timeZone }).format(next) +
        ` (${group?.schedule.timeZone})`
      : "—";
    return t(key, { when });
  }
}
