import type { DestinationStream } from "pino";
import { loadContent, type Content } from "./content";
import { UrgentMatcher } from "./features/urgent/matcher";

/** Building the automaton for every phrase takes a while; one per set of lists is enough. */
const matchers = new WeakMap<Content["urgentWords"], UrgentMatcher>();
function matcherFor(lists: Content["urgentWords"]): UrgentMatcher {
  let matcher = matchers.get(lists);
  if (!matcher) matchers.set(lists, (matcher = new UrgentMatcher(lists)));
  return matcher;
}
import type { BotDeps } from "./context";
import { Translator, createI18n } from "./i18n";
import type { Lang } from "./i18n/languages";
import { createLogger, type Logger } from "./logger";
import { Metrics } from "./metrics";
import type { HandoffConfig } from "./features/handoff/config";
import { Handoff } from "./features/handoff/service";
import { TELEGRAM_LIMITS, type TelegramLimits } from "./telegram/limits";
import { MessageTracker } from "./features/quick-exit/track-messages";
import { PrivacyKeys } from "./privacy/keys";
import { Counters } from "./store/counters";
import type { KeyValueStore } from "./store/kv";
import { MemoryStore } from "./store/memory";
import { SessionStore } from "./store/session";

export interface DepsOptions {
  kv?: KeyValueStore;
  /** Without a secret, a random one for this process (fine for the memory store). */
  secret?: string;
  sessionTtlSeconds?: number;
  defaultLanguage?: Lang;
  quickExitLine?: boolean;
  webhook?: boolean;
  updateTimeoutMs?: number;
  floodLimit?: number;
  metrics?: Metrics;
  log?: Logger;
  logLevel?: string;
  logDestination?: DestinationStream;
  content?: Content;
  handoff?: HandoffConfig;
  /** Telegram's limits by default; tests send without waiting, the benchmark compresses time. */
  limits?: TelegramLimits;
  /** Pace every call by `limits` with grammY's throttler (main and the benchmark; tests call Telegram freely). */
  throttle?: boolean;
}

/** A handler may hold its chat's queue this long before the watchdog lets the next update in. */
export const UPDATE_TIMEOUT_MS = 25_000;

/** Wires the bot's dependencies; shared by main, `npm run chat`, tests and the benchmark. */
export function buildDeps(options: DepsOptions = {}): BotDeps {
  const kv = options.kv ?? new MemoryStore();
  const keys = options.secret ? new PrivacyKeys(options.secret) : PrivacyKeys.ephemeral();
  const log = options.log ?? createLogger(options.logLevel ?? "info", options.logDestination);
  const content = options.content ?? loadContent();
  const metrics = options.metrics ?? new Metrics();
  const deps: BotDeps = {
    settings: {
      defaultLanguage: options.defaultLanguage ?? "en",
      quickExitLine: options.quickExitLine ?? true,
      webhook: options.webhook ?? false,
      updateTimeoutMs: options.updateTimeoutMs ?? UPDATE_TIMEOUT_MS,
      floodLimit: options.floodLimit ?? 20,
      limits: options.limits ?? TELEGRAM_LIMITS,
      throttle: options.throttle ?? false,
    },
    content,
    i18n: new Translator(createI18n()),
    kv,
    sessions: new SessionStore(kv, keys, options.sessionTtlSeconds ?? 1800),
    counters: new Counters(kv, log, metrics),
    keys,
    log,
    metrics,
    urgent: matcherFor(content.urgentWords),
    messages: new MessageTracker({ kv, keys, log }),
  };
  if (options.handoff?.groups.length) deps.handoff = new Handoff(deps, options.handoff, deps.settings.limits);
  return deps;
}
