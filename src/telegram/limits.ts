import { apiThrottler } from "@grammyjs/transformer-throttler";
import type { Transformer } from "grammy";

/**
 * Telegram's limits for a bot, as its FAQ gives them: about 30 messages a
 * second in all, about 20 a minute into one group, about one a second into
 * one private chat. The relay of the operators' groups paces itself by them
 * (relay.ts); every other call goes through the throttler below.
 */
export interface TelegramLimits {
  perSecond: number;
  groupIntervalMs: number;
  personIntervalMs: number;
  /** An album arrives as one update per item: its items wait this long for the rest, so it is copied whole. */
  albumWindowMs: number;
}

export const TELEGRAM_LIMITS: TelegramLimits = { perSecond: 30, groupIntervalMs: 3_000, personIntervalMs: 1_000, albumWindowMs: 800 };

/** The same limits with time running `factor` times faster (the busy-hour benchmark). */
export function compressed(limits: TelegramLimits, factor: number): TelegramLimits {
  return {
    perSecond: limits.perSecond * factor,
    groupIntervalMs: limits.groupIntervalMs / factor,
    personIntervalMs: limits.personIntervalMs / factor,
    albumWindowMs: limits.albumWindowMs / factor,
  };
}

/**
 * grammY's throttler (Bottleneck, in this process: its Redis mode would keep
 * chat ids in Redis keys). Global: `perSecond` per second. Groups: 20 a
 * minute, one call at a time. Private chats: one call at a time, in order, but
 * not spaced: a reply to a person's own message must not wait a second.
 */
export function throttle(limits: TelegramLimits): Transformer {
  const second = 1000 * (limits.groupIntervalMs / TELEGRAM_LIMITS.groupIntervalMs);
  const perMinute = Math.round(60_000 / limits.groupIntervalMs);
  return apiThrottler({
    global: { reservoir: limits.perSecond, reservoirRefreshAmount: limits.perSecond, reservoirRefreshInterval: 1000 },
    group: { maxConcurrent: 1, reservoir: perMinute, reservoirRefreshAmount: perMinute, reservoirRefreshInterval: 60 * second },
    out: { maxConcurrent: 1 },
  });
}
