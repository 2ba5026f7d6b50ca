import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createBot } from "../../src/bot";
import { BOT_INFO, LocalTelegram, Person } from "../../src/cli/local-telegram";
import { buildDeps } from "../../src/deps";
import { URGENT_CATEGORIES, type UrgentCategory } from "../../src/features/urgent/matcher";
import { LANGUAGES, type Lang } from "../../src/i18n/languages";
import { createLogger } from "../../src/logger";

/**
 * The urgent-message corpus (test/corpus/urgent/<lang>.json): messages written
 * by a native speaker of each language, briefed on how frightened young
 * people really type, without seeing the phrase lists; each says whether it
 * must bring help (and of which kind) or not. Judged through the real bot.
 */
export interface CorpusMessage {
  text: string;
  expect: UrgentCategory | "none";
  also?: UrgentCategory[];
  style?: string[];
  gloss?: string;
}

export const CORPUS_DIR = join(__dirname, "..", "corpus", "urgent");

export function corpusLanguages(): Lang[] {
  return LANGUAGES.filter((l) => existsSync(join(CORPUS_DIR, `${l}.json`)));
}

export function loadCorpus(lang: Lang): CorpusMessage[] {
  return (JSON.parse(readFileSync(join(CORPUS_DIR, `${lang}.json`), "utf8")) as { messages: CorpusMessage[] }).messages;
}

export interface Judged {
  message: CorpusMessage;
  /** The kind of help the bot answered with, or undefined when it answered as to an ordinary message. */
  answered?: UrgentCategory;
}

export interface Figures {
  recall: number;
  falseAlarms: number;
  /** Of the messages caught, those answered with help of the kind expected (or a kind it also belongs to). */
  rightKind: number;
  judged: Judged[];
}

/**
 * Sends each message, as a person using the bot in that language, on the main
 * menu, and reads which answer came back: the acknowledgement line tells which
 * kind of help was given.
 */
export async function judge(lang: Lang, messages = loadCorpus(lang)): Promise<Figures> {
  const tg = new LocalTelegram(false);
  const deps = buildDeps({ log: createLogger("silent"), floodLimit: 1_000_000 });
  const bot = createBot(deps, { botInfo: BOT_INFO, client: { fetch: tg.fetch } });
  const t = deps.i18n.getFixedT(lang);
  const acks = URGENT_CATEGORIES.map((c) => [c, t(`urgent.ack.${c}`)] as const);
  const judged: Judged[] = [];
  let id = 900_000_000;
  for (const message of messages) {
    const p = new Person(tg, { id: id++, first_name: "C", language_code: lang });
    await bot.handleUpdate(p.text("/start"));
    await bot.handleUpdate(p.text(message.text));
    const reply = tg.lastBotMessage(p.profile.id)?.text ?? "";
    judged.push({ message, answered: acks.find(([, ack]) => reply.includes(ack))?.[0] });
  }
  const urgent = judged.filter((j) => j.message.expect !== "none");
  const ordinary = judged.filter((j) => j.message.expect === "none");
  const caught = urgent.filter((j) => j.answered);
  const right = caught.filter((j) => j.answered === j.message.expect || j.message.also?.includes(j.answered!));
  return {
    recall: caught.length / urgent.length,
    falseAlarms: ordinary.filter((j) => j.answered).length / ordinary.length,
    rightKind: caught.length ? right.length / caught.length : 1,
    judged,
  };
}
