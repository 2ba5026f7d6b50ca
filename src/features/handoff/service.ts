import { GrammyError, InlineKeyboard, type Api } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { BotDeps } from "../../context";
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
import { TELEGRAM_LIMITS, type TelegramLimits } from "../../telegram/limits";
import { GroupRelay, type Lane, type RelayJob } from "./relay";

/** What goes into an operators' group, in order, through its relay. */
type IntoGroup = RelayJob &
  (
    | { kind: "open" }
    | { kind: "copy"; from: number; ids: number[]; thread?: number }
    | { kind: "text"; text: string; thread?: number }
    | { kind: "topic"; op: "rename" | "close" | "delete"; thread: number; name?: string }
  );
/** What goes to the people of a group's cases (each with quick exit in their language). */
type ToPerson = RelayJob & { to: number; lang: Lang } & ({ kind: "copy"; from: number; id: number } | { kind: "text"; text: string; keyboard?: InlineKeyboardButton[][] });

const CASE_TTL_SECONDS = 24 * 3600;
const RETENTION_KEY = `${KEY_PREFIX}retention`;

/**
 * The operator handoff: cases, the forum topic of each, the relay both ways,
 * and the timers (take timeout, retention). Everything sent into a group or
 * relayed to a person goes through the group's relay (relay.ts): ordered
 * across instances, paced by Telegram's limits, never lost.
 */
export class Handoff {
  readonly cases: CaseStore;
  readonly caseMetrics: CaseMetrics;
  private api?: Api;
  private readonly relays = new Map<number, GroupRelay<IntoGroup, ToPerson>>();

  constructor(
    private readonly deps: Omit<BotDeps, "handoff">,
    readonly config: HandoffConfig,
    limits: TelegramLimits = TELEGRAM_LIMITS,
  ) {
    this.cases = new CaseStore(deps.kv, deps.keys, CASE_TTL_SECONDS);
    this.caseMetrics = new CaseMetrics(deps, config, this.cases);
    for (const g of config.groups) {
      this.relays.set(g.chatId, new GroupRelay(deps, g.chatId, { group: this.groupLane(g.chatId), person: this.personLane() }, limits));
    }
  }

  /** Called by createBot: the relay and the timers send through the bot's API (throttler and auto-retry included). */
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
   * Opens a case: the record at once (the person sees their place in the
   * queue), then, through the group's relay, its forum topic and the card with
   * only the facts the person agreed to show. A SET NX lock keeps a double
   * press from opening two cases. If Telegram refuses the topic or the card,
   * the case is removed whole and the person is told (see gaveUpInGroup).
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
      await this.cases.save(rec);
      await this.relay(rec.group).push("group", { kind: "open", code: rec.code });
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
   * What the worker wrote before closing still reaches the person; when the
   * person left (or blocked the bot), nothing more is sent to them.
   */
  async close(rec: CaseRecord, by: "operator" | "person" | "exit" | "blocked"): Promise<void> {
    rec.state = "closed";
    await this.cases.remove(rec);
    if (by !== "operator") await this.deps.kv.set(this.goneKey(rec.code), Buffer.from("1"), CASE_TTL_SECONDS);
    this.caseMetrics.closed(rec, by);
    const ops = this.t(this.groupLang(rec.group));
    if (rec.thread !== undefined) {
      const notice = by === "blocked" ? ops("operator.person_blocked") : by === "operator" ? undefined : ops("operator.person_left");
      if (notice) await this.toGroup(rec, notice);
      const hours = this.config.retentionHours;
      await this.toGroup(rec, hours > 0 ? ops("operator.closed", { hours }) : ops("operator.closed_now"));
      await this.renameTopic(rec);
      await this.relay(rec.group).push("group", { kind: "topic", code: rec.code, op: "close", thread: rec.thread });
      if (hours === 0) await this.relay(rec.group).push("group", { kind: "topic", code: rec.code, op: "delete", thread: rec.thread });
      else await this.deps.kv.zadd(RETENTION_KEY, Date.now() + hours * 3_600_000, `${rec.group}:${rec.thread}`, (hours + 24) * 3600);
    }
    if (by === "operator") await this.tellPerson(rec, this.t(rec.lang)("handoff.ended_by_worker"));
  }

  /** Quick exit, /delete or blocking the bot: the person's open case, if any, ends too. */
  async closeFor(person: string, by: "exit" | "blocked"): Promise<void> {
    const rec = await this.cases.byPerson(person).catch(() => undefined);
    if (rec) await this.close(rec, by);
  }

  private async renameTopic(rec: CaseRecord): Promise<void> {
    if (rec.thread === undefined) return;
    await this.relay(rec.group).push("group", { kind: "topic", code: rec.code, op: "rename", thread: rec.thread, name: this.topicName(rec) });
  }

  /** A notice into the case's topic, through the group's relay (in order with the person's messages). */
  async toGroup(rec: CaseRecord, text: string): Promise<void> {
    await this.relay(rec.group).push("group", { kind: "text", code: rec.code, text, ...(rec.thread !== undefined ? { thread: rec.thread } : {}) });
  }

  /** A message to the person, with quick exit, through the relay (after what the worker wrote before it). */
  async tellPerson(rec: CaseRecord, text: string, keyboard?: InlineKeyboard): Promise<void> {
    await this.relay(rec.group).push("person", { kind: "text", code: rec.code, to: rec.chat, lang: rec.lang, text, ...(keyboard ? { keyboard: keyboard.inline_keyboard } : {}) });
  }

  // ── the relay, both ways ──────────────────────────────────────────────────

  /** The person's message into the case's topic; album items are held a moment so the album is copied whole. */
  async relayFromPerson(rec: CaseRecord, messageId: number, mediaGroup?: string): Promise<void> {
    await this.relay(rec.group).push("group", {
      kind: "copy",
      code: rec.code,
      from: rec.chat,
      ids: [messageId],
      ...(rec.thread !== undefined ? { thread: rec.thread } : {}),
      ...(mediaGroup ? { album: true } : {}),
    });
  }

  /** A worker's message in the case's topic, to the person (copied: the person sees the bot, never the worker). */
  async relayToPerson(rec: CaseRecord, messageId: number): Promise<void> {
    await this.relay(rec.group).push("person", { kind: "copy", code: rec.code, to: rec.chat, lang: rec.lang, from: rec.group, id: messageId });
  }

  /** Leads the relay of every group whose lease is free (main); other instances take over if this one stops. */
  start(): void {
    for (const relay of this.relays.values()) relay.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.relays.values()].map((r) => r.stop()));
  }

  /** Whether this instance sends for the group now. */
  leads(group: number): boolean {
    return this.relays.get(group)?.isLeader ?? false;
  }

  /** Sends everything queued (tests; shutdown with the memory store): false when it could not in time. */
  async drain(deadline?: number): Promise<boolean> {
    const done = await Promise.all([...this.relays.values()].map((r) => r.drain(deadline)));
    return done.every(Boolean);
  }

  private relay(group: number): GroupRelay<IntoGroup, ToPerson> {
    const relay = this.relays.get(group);
    if (!relay) throw new Error("a case of a group that is not configured");
    return relay;
  }

  private goneKey = (code: string) => `${KEY_PREFIX}case:gone:${code}`;

  private groupLane(group: number): Lane<IntoGroup> {
    return {
      name: "group",
      joins: (run, next) =>
        run[0]!.kind === "copy" && next.kind === "copy" && next.from === run[0]!.from && run.reduce((n, j) => n + (j.kind === "copy" ? j.ids.length : 0), next.ids.length) <= 100,
      send: async (jobs) => {
        const job = jobs[0]!;
        if (job.kind === "open") return this.openTopic(job.code);
        if (job.kind === "topic") {
          if (job.op === "rename") await this.tg.editForumTopic(group, job.thread, { name: job.name ?? "" });
          else if (job.op === "close") await this.tg.closeForumTopic(group, job.thread);
          else {
            await this.tg.deleteForumTopic(group, job.thread);
          }
          return 1;
        }
        const thread = job.thread ?? (await this.cases.get(job.code))?.thread;
        if (thread === undefined) return 0; // the case ended before its topic was made: nobody to show it to
        if (job.kind === "text") {
          await this.tg.sendMessage(group, job.text, { message_thread_id: thread, parse_mode: "HTML" });
          return 1;
        }
        const ids = jobs.flatMap((j) => (j.kind === "copy" ? j.ids : []));
        const options = { message_thread_id: thread, protect_content: true };
        if (ids.length > 1) await this.tg.copyMessages(group, job.from, ids, options);
        else await this.tg.copyMessage(group, job.from, ids[0]!, options);
        return 1;
      },
      gaveUp: async (jobs) => {
        const job = jobs[0]!;
        const rec = await this.cases.get(job.code);
        if (!rec) return;
        if (job.kind === "open") {
          // Opened whole or not at all: no topic without its card, no case without its topic.
          if (rec.thread !== undefined) await this.tg.deleteForumTopic(group, rec.thread).catch(() => undefined);
          await this.cases.remove(rec);
          this.deps.counters.bump("case_open_failed", { lang: rec.lang });
          const menu = new InlineKeyboard().text(this.t(rec.lang)("button.menu"), cb("menu"));
          await this.tellPerson(rec, this.emergencyNotice(rec, "handoff.unavailable_now"), menu);
        } else if (job.kind === "copy") {
          await this.tellPerson(rec, this.t(rec.lang)("handoff.not_delivered"));
        }
      },
    };
  }

  /** The open job: the topic (unless an earlier attempt made it), then the card. Two messages into the group. */
  private async openTopic(code: string): Promise<number> {
    const rec = await this.cases.get(code);
    if (!rec) return 0; // cancelled before its turn
    let sent = 0;
    if (rec.thread === undefined) {
      rec.thread = (await this.tg.createForumTopic(rec.group, this.topicName(rec))).message_thread_id;
      await this.cases.save(rec);
      // Even if the record expires unseen, its topic is deleted in the end.
      await this.deps.kv.zadd(RETENTION_KEY, rec.createdAt + (CASE_TTL_SECONDS + this.config.retentionHours * 3600) * 1000, `${rec.group}:${rec.thread}`, CASE_TTL_SECONDS * 30);
      sent++;
    }
    await this.tg.sendMessage(rec.group, this.cardText(rec), { message_thread_id: rec.thread, parse_mode: "HTML", reply_markup: this.cardKeyboard(rec) });
    return sent + 1;
  }

  private personLane(): Lane<ToPerson> {
    return {
      name: "person",
      joins: () => false, // each message to the person carries its own quick-exit button
      send: async ([job]) => {
        // The person left (quick exit, /delete, ended it, blocked the bot): nothing more reaches them.
        if (!job || (await this.deps.kv.get(this.goneKey(job.code)))) return 0;
        if (job.kind === "copy") await this.tg.copyMessage(job.to, job.from, job.id, { reply_markup: withExitIn(this.t(job.lang)) });
        else {
          const reply_markup = withExitIn(this.t(job.lang), job.keyboard ? new InlineKeyboard(job.keyboard) : undefined);
          await this.tg.sendMessage(job.to, job.text, { parse_mode: "HTML", reply_markup });
        }
        return 1;
      },
      gaveUp: async ([job], error) => {
        const rec = job && (await this.cases.get(job.code));
        if (!rec) return;
        if (error instanceof GrammyError && error.error_code === 403) await this.close(rec, "blocked");
        else if (job.kind === "copy") await this.toGroup(rec, this.t(this.groupLang(rec.group))("operator.not_delivered"));
      },
    };
  }

  // ── timers ─────────────────────────────────────────────────────────────────

  /**
   * Runs every half minute (and on demand in tests): tells people whose case
   * nobody took within the timeout, and deletes topics whose retention ended.
   */
  async sweep(now = Date.now()): Promise<void> {
    // Only the relay's leader sweeps a group, so two instances never tell a person twice.
    const led = new Set<number>();
    for (const [group, relay] of this.relays) if (await relay.lead()) led.add(group);
    for (const group of this.config.groups) {
      if (!led.has(group.chatId)) continue;
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
      if (group === undefined || thread === undefined || !led.has(group)) continue;
      await this.deps.kv.zrem(RETENTION_KEY, due.member);
      await this.relay(group).push("group", { kind: "topic", code: "", op: "delete", thread });
    }
  }

  /** The emergency panel for the person's country, in their language. */
  panel(rec: CaseRecord): string {
    return emergencyPanelIn(this.t(rec.lang), rec.lang, this.deps.content.directory, rec.country);
  }

  private emergencyNotice(rec: CaseRecord, key: string): string {
    return `${this.t(rec.lang)(key)}\n\n${this.panel(rec)}`;
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
