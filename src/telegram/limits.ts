import { apiThrottler } from "@grammyjs/transformer-throttler";
import Bottleneck from "bottleneck";
import type { Transformer } from "grammy";

/**
 * Telegram's limits for a bot, as its FAQ gives them: about 30 messages a
 * second in all, about 20 a minute into one group, about one a second into
 * one private chat. The relay of the operators' groups paces itself by them
 * (relay.ts); every other call goes through the throttler below.
 */
export interface TelegramLimits {
  /** How long Telegram's "second" lasts here: 1000 ms, shorter in the time-compressed benchmark. */
  secondMs: number;
  perSecond: number;
  groupIntervalMs: number;
  personIntervalMs: number;
  /** An album arrives as one update per item: its items wait this long for the rest, so it is copied whole. */
  albumWindowMs: number;
}

export const TELEGRAM_LIMITS: TelegramLimits = { secondMs: 1_000, perSecond: 30, groupIntervalMs: 3_000, personIntervalMs: 1_000, albumWindowMs: 800 };

/** The same limits with time running `factor` times faster (the busy-hour benchmark). */
export function compressed(limits: TelegramLimits, factor: number): TelegramLimits {
  return {
    secondMs: limits.secondMs / factor,
    perSecond: limits.perSecond,
    groupIntervalMs: limits.groupIntervalMs / factor,
    personIntervalMs: limits.personIntervalMs / factor,
    albumWindowMs: limits.albumWindowMs / factor,
  };
}

/** Bottleneck's priorities: lower goes first. */
const URGENT = 0;
const RELAY = 2;
const OTHER = 5;
/** Payloads of calls answering an urgent message (marked by `prioritise`). */
const urgentPayloads = new WeakSet<object>();

/**
 * Marks every call made while handling this update as urgent: under a
 * saturated global limit (a campaign's burst) the answer to "they took my
 * passport" goes before anyone's menu.
 */
export function prioritise(api: { config: { use(t: Transformer): unknown } }): void {
  api.config.use((prev, method, payload, signal) => {
    if (payload) urgentPayloads.add(payload);
    return prev(method, payload, signal);
  });
}

/**
 * Two transformers, in the order to install them (so the first is the inner
 * one): grammY's throttler (Bottleneck, in this
 * process: its Redis mode would keep chat ids in Redis keys) keeps groups to 20
 * calls a minute and every chat to one call at a time, in order (private chats
 * are not spaced: a reply to a person's own message must not wait a second);
 * under it, one Bottleneck queue keeps the whole bot to `perSecond`, by
 * priority: urgent answers, then the relay (`isRelay`), then the rest.
 */
export function throttle(limits: TelegramLimits, isRelay: (method: string, payload: Record<string, unknown>) => boolean): Transformer[] {
  const second = limits.secondMs;
  const perMinute = Math.round(60_000 / limits.groupIntervalMs);
  const perChat = apiThrottler({
    global: {}, // the queue below
    group: { maxConcurrent: 1, reservoir: perMinute, reservoirRefreshAmount: perMinute, reservoirRefreshInterval: 60 * second },
    out: { maxConcurrent: 1 },
  });
  const global = new Bottleneck({ reservoir: limits.perSecond, reservoirRefreshAmount: limits.perSecond, reservoirRefreshInterval: second });
  const byPriority: Transformer = (prev, method, payload, signal) => {
    if (!payload || !("chat_id" in payload)) return prev(method, payload, signal); // not a message (answering a button)
    const priority = urgentPayloads.has(payload) ? URGENT : isRelay(method, payload as Record<string, unknown>) ? RELAY : OTHER;
    return global.schedule({ priority }, () => prev(method, payload, signal));
  };
  return [byPriority, perChat];
}
