import { randomUUID } from "node:crypto";
import { GrammyError, HttpError } from "grammy";
import type { Logger } from "../../logger";
import type { PrivacyKeys } from "../../privacy/keys";
import { KEY_PREFIX, type KeyValueStore, type StreamEntry } from "../../store/kv";
import { describeError } from "../../errors";
import type { TelegramLimits } from "../../telegram/limits";

/** What every job carries: the case it belongs to and when it was queued. */
export interface RelayJob {
  code: string;
  at: number;
  /** Part of an album (held for the album window). */
  album?: boolean;
}

/** A job as pushed (the relay stamps `at`); distributes over a union of job kinds. */
export type Queued<J> = J extends unknown ? Omit<J, "at"> : never;

/** One direction of a group's relay: into the group, or to the people of its cases. */
export interface Lane<J extends RelayJob> {
  name: "group" | "person";
  /**
   * Sends one job, or a run of the same case's jobs that `joins` allowed;
   * returns how many messages it put into the chat (for pacing).
   */
  send(jobs: J[]): Promise<number>;
  /** Whether `next` can go in the same call as the run so far (copyMessages takes up to 100 ids). */
  joins(run: J[], next: J): boolean;
  /** Telegram refused for good (or kept failing): tell someone, the job is then dropped. */
  gaveUp(jobs: J[], error: unknown): Promise<void>;
}

const LEASE_MS = 10_000;
/** How often a follower checks whether the leader is gone; the leader renews at least this often. */
const LEASE_CHECK_MS = 2_000;
const READ_AHEAD = 200;
/** Network errors and 5xx: back off 1 s, 2 s, 4 s … up to a minute, then give up (about 5 minutes in all). */
const MAX_ATTEMPTS = 9;
const MAX_BACKOFF_MS = 60_000;
const STREAM_TTL_SECONDS = 24 * 3600;

interface Pending<J> {
  entry: StreamEntry;
  job: J;
}

/**
 * The relay of one operators' group, both ways. Every message into the group
 * and every relayed message to a person is appended to a Redis stream (one per
 * group and direction), so order is the order of arrival whichever instance
 * received the update. One instance at a time, the holder of the group's lease,
 * sends what the streams hold: paced by Telegram's limits (so no 429 storms),
 * each case's messages in order, consecutive messages of a case batched into
 * one call, entries deleted only once sent and only while the lease is still
 * held (fenced in Lua), so a new leader resumes exactly where the old one
 * stopped. A job that Telegram refuses for good is handed to `gaveUp`, which
 * tells the person or the group: nothing is dropped silently.
 */
export class GroupRelay<G extends RelayJob, P extends RelayJob> {
  readonly owner = randomUUID();
  private readonly leaseKey: string;
  private readonly streams: { group: string; person: string };
  private leading = false;
  private stopped = false;
  private loop?: Promise<void>;
  /** When the group may receive its next message; per case, when its person may. */
  private groupDue = 0;
  private readonly personDue = new Map<string, number>();
  /** Per lane and entry: failed attempts so far, and when to try again. */
  private readonly retries = new Map<string, { attempts: number; at: number }>();
  private lastSeen = { group: "0-0", person: "0-0" };
  /** Entries already unsealed, by lane and entry id (ids are unique per stream only), forgotten once delivered. */
  private readonly opened = new Map<string, RelayJob>();
  /** Rounds run one at a time in this instance (the loop, a drain, a sweep taking the lease). */
  private rounds: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: { kv: KeyValueStore; keys: PrivacyKeys; log: Logger },
    readonly group: number,
    private readonly lanes: { group: Lane<G>; person: Lane<P> },
    private readonly pacing: TelegramLimits,
  ) {
    this.leaseKey = `${KEY_PREFIX}relay:lease:${group}`;
    this.streams = { group: `${KEY_PREFIX}rs:${group}:g`, person: `${KEY_PREFIX}rs:${group}:p` };
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Appends a job; the leader (in this instance or another) picks it up at once. */
  async push(lane: "group", job: Queued<G>): Promise<void>;
  async push(lane: "person", job: Queued<P>): Promise<void>;
  async push(lane: "group" | "person", job: Queued<G> | Queued<P>): Promise<void> {
    const key = this.streams[lane];
    // Jobs hold chat ids: sealed like everything else the bot keeps.
    const sealed = this.deps.keys.seal(JSON.stringify({ ...job, at: Date.now() }), key).toString("base64");
    await this.deps.kv.streamAdd(key, sealed, STREAM_TTL_SECONDS);
  }

  /** Runs until stop(): leads when the lease is free, follows otherwise. */
  start(): void {
    this.stopped = false;
    this.loop ??= this.run().finally(() => (this.loop = undefined));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    if (this.leading) await this.deps.kv.releaseLease(this.leaseKey, this.owner).catch(() => undefined);
    this.leading = false;
  }

  /** Sends everything queued now, paced as always (tests, shutdown): true when both streams were emptied. */
  async drain(deadline = Date.now() + 60_000): Promise<boolean> {
    while (Date.now() < deadline) {
      if (!(await this.claim())) return false;
      const { waitMs, empty } = await this.round();
      if (empty) return true;
      if (waitMs > 0) await sleep(Math.min(waitMs, deadline - Date.now()));
    }
    return false;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!(await this.claim())) {
          await sleep(LEASE_CHECK_MS);
          continue;
        }
        const began = Date.now();
        const { waitMs } = await this.round();
        // A round must end well within the lease, or another instance takes over mid-send.
        if (Date.now() - began > LEASE_MS / 2) this.deps.log.warn({ event: "relay_round_slow", ms: Date.now() - began });
        if (waitMs > 0) {
          await this.deps.kv.streamWait(
            [
              { key: this.streams.group, after: this.lastSeen.group },
              { key: this.streams.person, after: this.lastSeen.person },
            ],
            Math.min(waitMs, LEASE_CHECK_MS),
          );
        }
      } catch (error) {
        // Redis unreachable: nothing is lost (the streams keep it); try again shortly.
        this.deps.log.warn({ event: "relay_round_failed", error: describeError(error) });
        this.leading = false;
        await sleep(LEASE_CHECK_MS);
      }
    }
  }

  /** Whether this instance leads the group now (taking the lease when it is free). */
  lead(): Promise<boolean> {
    return this.claim();
  }

  private async claim(): Promise<boolean> {
    const held = await this.deps.kv.lease(this.leaseKey, this.owner, LEASE_MS);
    if (held && !this.leading) {
      // A new leader starts from what Redis holds, paced as if the group had just received a message.
      this.retries.clear();
      this.opened.clear();
      this.groupDue = Date.now() + this.pacing.groupIntervalMs;
    }
    this.leading = held;
    return held;
  }

  /**
   * One pass: the group gets at most one call (the case waiting longest),
   * every person whose pace allows gets their next message; returns how long
   * until something is due.
   */
  private round(): Promise<{ waitMs: number; empty: boolean }> {
    const next = this.rounds.then(() => this.roundNow());
    this.rounds = next.catch(() => undefined);
    return next;
  }

  private async roundNow(): Promise<{ waitMs: number; empty: boolean }> {
    const [groupEntries, personEntries] = await Promise.all([this.read("group"), this.read("person")]);
    if (!groupEntries.length && !personEntries.length) return { waitMs: LEASE_CHECK_MS, empty: true };
    const now = Date.now();
    const due: number[] = [];
    const sends: Promise<void>[] = [];

    const groupRun = this.nextRun(groupEntries, this.lanes.group, now, due);
    if (groupRun) {
      if (this.groupDue > now) due.push(this.groupDue);
      else sends.push(this.deliver("group", groupRun));
    }
    for (const run of this.runsPerCase(personEntries, this.lanes.person, now, due)) {
      const at = this.personDue.get(run[0]!.job.code) ?? 0;
      if (at > now) due.push(at);
      else sends.push(this.deliver("person", run));
    }
    await Promise.all(sends);
    if (sends.length) return { waitMs: 0, empty: false };
    return { waitMs: due.length ? Math.max(1, Math.min(...due) - Date.now()) : LEASE_CHECK_MS, empty: false };
  }

  private async read<L extends "group" | "person">(lane: L): Promise<Pending<L extends "group" ? G : P>[]> {
    const key = this.streams[lane];
    const entries = await this.deps.kv.streamHead(key, READ_AHEAD);
    if (entries.length) this.lastSeen[lane] = entries[entries.length - 1]!.id;
    const out: Pending<L extends "group" ? G : P>[] = [];
    const unreadable: string[] = [];
    const opened = new Map<string, RelayJob>();
    for (const entry of entries) {
      // Each entry is unsealed once, not on every round it waits through.
      let job = this.opened.get(`${lane}:${entry.id}`);
      if (!job) {
        const json = this.deps.keys.open(Buffer.from(entry.value, "base64"), key);
        if (json) job = JSON.parse(json) as RelayJob;
        else unreadable.push(entry.id); // sealed with another secret: nobody can read it
      }
      if (job) {
        opened.set(`${lane}:${entry.id}`, job);
        out.push({ entry, job: job as L extends "group" ? G : P });
      }
    }
    for (const [id, job] of opened) this.opened.set(id, job);
    if (unreadable.length) await this.deps.kv.streamDelete(key, unreadable, this.leaseKey, this.owner);
    return out;
  }

  /** The group's next call: the run of the case whose oldest job has waited longest and is ready. */
  private nextRun<J extends RelayJob>(entries: Pending<J>[], lane: Lane<J>, now: number, due: number[]): Pending<J>[] | undefined {
    for (const run of this.runsPerCase(entries, lane, now, due)) return run;
    return undefined;
  }

  /**
   * Per case, in order of its oldest job: the next run to send (its first job
   * and the following jobs of that case that can join it), when ready: not
   * backing off after an error, and no album item still gathering.
   */
  private *runsPerCase<J extends RelayJob>(entries: Pending<J>[], lane: Lane<J>, now: number, due: number[]): Generator<Pending<J>[]> {
    const byCase = new Map<string, Pending<J>[]>();
    for (const p of entries) {
      const list = byCase.get(p.job.code);
      if (list) list.push(p);
      else byCase.set(p.job.code, [p]);
    }
    for (const jobs of byCase.values()) {
      const retry = this.retries.get(`${lane.name}:${jobs[0]!.entry.id}`);
      if (retry && retry.at > now) {
        due.push(retry.at);
        continue;
      }
      const run = [jobs[0]!];
      for (const next of jobs.slice(1)) {
        if (!lane.joins(run.map((r) => r.job), next.job)) break;
        run.push(next);
      }
      // An album's items still arriving: wait for the rest, so it is copied as one album.
      const youngestAlbum = Math.max(...run.filter((r) => r.job.album).map((r) => r.job.at));
      if (youngestAlbum + this.pacing.albumWindowMs > now) {
        due.push(youngestAlbum + this.pacing.albumWindowMs);
        continue;
      }
      yield run;
    }
  }

  private async deliver<L extends "group" | "person">(lane: L, run: Pending<L extends "group" ? G : P>[]): Promise<void> {
    const handler = this.lanes[lane] as Lane<L extends "group" ? G : P>;
    const jobs = run.map((r) => r.job);
    const first = `${lane}:${run[0]!.entry.id}`;
    const code = jobs[0]!.code;
    const interval = lane === "group" ? this.pacing.groupIntervalMs : this.pacing.personIntervalMs;
    // A group's limit is per minute: pacing from when the call went out keeps the full 20 a minute. A private
    // chat's is about a second between messages: paced from the answer, so two can never arrive closer.
    const started = Date.now();
    const paceAfter = (messages: number) => {
      const next = (lane === "group" ? started : Date.now()) + messages * interval;
      if (lane === "group") this.groupDue = next;
      else this.personDue.set(code, next);
    };
    let done = false;
    try {
      paceAfter(Math.max(1, await handler.send(jobs)));
      done = true;
    } catch (error) {
      const retryAfter = error instanceof GrammyError && error.error_code === 429 ? (error.parameters.retry_after ?? 5) * 1000 : undefined;
      const transient = retryAfter !== undefined || error instanceof HttpError || (error instanceof GrammyError && error.error_code >= 500);
      const attempts = (this.retries.get(first)?.attempts ?? 0) + 1;
      if (transient && attempts < MAX_ATTEMPTS) {
        // Kept in the stream, first in its case's line: tried again after Telegram's wait or a backoff.
        const wait = retryAfter ?? Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempts - 1));
        this.retries.set(first, { attempts, at: Date.now() + wait });
        paceAfter(1);
        this.deps.log.warn({ event: "relay_retry", lane, attempts, wait_ms: wait, error: describeError(error) });
        return;
      }
      this.deps.log.warn({ event: "relay_gave_up", lane, attempts, error: describeError(error) });
      await handler.gaveUp(jobs, error);
      done = true;
    }
    if (done) {
      this.retries.delete(first);
      for (const r of run) this.opened.delete(`${lane}:${r.entry.id}`);
      if (lane === "person" && this.personDue.size > 1000) this.forgetPast(this.personDue);
      if (!(await this.deps.kv.streamDelete(this.streams[lane], run.map((r) => r.entry.id), this.leaseKey, this.owner))) {
        // This instance stalled past its lease and another took over: the entries were not deleted, so
        // the new leader sends this run again (at least once, never lost). Stop leading at once.
        this.leading = false;
        this.deps.log.warn({ event: "relay_lease_lost", lane });
      }
    }
  }

  private forgetPast(map: Map<string, number>): void {
    const now = Date.now();
    for (const [k, at] of map) if (at <= now) map.delete(k);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)).unref());
