import { Context } from "grammy";
import type { Content } from "./content";
import type { UrgentMatcher } from "./features/urgent/matcher";
import type { TFunction, Translator } from "./i18n";
import type { Lang } from "./i18n/languages";
import type { Logger } from "./logger";
import type { Metrics } from "./metrics";
import type { Handoff } from "./features/handoff/service";
import type { MessageTracker } from "./features/quick-exit/track-messages";
import type { PrivacyKeys } from "./privacy/keys";
import type { Counters } from "./store/counters";
import type { KeyValueStore } from "./store/kv";
import type { SessionData, SessionStore } from "./store/session";
import type { TelegramLimits } from "./telegram/limits";

/** What the bot needs from the outside world; tests and `npm run chat` build their own. */
export interface BotDeps {
  settings: {
    defaultLanguage: Lang;
    /** Leave one neutral line after a quick exit. */
    quickExitLine: boolean;
    /** Webhook mode: drop redelivered updates (by update_id) and cap retry delays. */
    webhook: boolean;
    /** Longest a single update may hold its chat's queue before the watchdog lets go. */
    updateTimeoutMs: number;
    /** Flood control: at most this many updates per person per 10 s (urgent words always pass). */
    floodLimit: number;
    /** Telegram's limits, by which the relay paces itself (and the throttler, when on). */
    limits: TelegramLimits;
    /** Pace every call to Telegram with grammY's throttler. */
    throttle: boolean;
  };
  content: Content;
  i18n: Translator;
  kv: KeyValueStore;
  sessions: SessionStore;
  counters: Counters;
  keys: PrivacyKeys;
  log: Logger;
  metrics: Metrics;
  urgent: UrgentMatcher;
  /** The ids of every message in each private chat, for quick exit. */
  messages: MessageTracker;
  /** The operator handoff, when OPERATOR_GROUPS is configured. */
  handoff?: Handoff;
}

export interface BotFlavor {
  deps: BotDeps;
  /** HMAC pseudonym of the chat; the only handle on the person our code keeps. */
  pseudonym: string;
  session: SessionData;
  /** False while the store cannot be reached: answer what needs no state. */
  stateAvailable: boolean;
  lang: Lang;
  /** The language was chosen by the person or taken from Telegram (not a guess). */
  langKnown: boolean;
  t: TFunction;
  /** Erase everything stored for this chat once the update has been handled. */
  forget(): void;
  /** Set once the callback query has been answered (with a notice). */
  callbackAnswered: boolean;
}

export type BotContext = Context & BotFlavor;

/**
 * The context grammY builds for each update (the bot's ContextConstructor):
 * the dependencies and the chat's pseudonym are there from the start, with no
 * middleware layer for each. The rest of BotFlavor is filled in by the session
 * and language steps.
 */
export function helplineContext(deps: BotDeps): new (...args: ConstructorParameters<typeof Context>) => BotContext {
  return class HelplineContext extends Context implements BotFlavor {
    deps = deps;
    callbackAnswered = false;
    /** From here on our code handles the chat only by its pseudonym. */
    pseudonym = this.chat ? deps.keys.pseudonym("chat", this.chat.id) : "";
    declare session: SessionData;
    declare stateAvailable: boolean;
    declare lang: Lang;
    declare langKnown: boolean;
    declare t: TFunction;
    declare forget: () => void;
  };
}
