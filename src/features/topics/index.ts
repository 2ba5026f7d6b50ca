import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context";
import type { Topic } from "../../content/topics";
import { cb } from "../../ui/callback-data";
import { menuButton, send, show } from "../../ui/screen";

/**
 * "Learn about risks": the topics of dialogs/topics.json, 1–4 screens each,
 * with next · back · menu · quick exit, and on the last screen the ways on
 * (the check, the help directory, a person) and an optional note to save.
 */
export const topics = new Composer<BotContext>();

function findTopic(ctx: BotContext, id: string | undefined): Topic | undefined {
  return ctx.deps.content.topics.topics.find((t) => t.id === id);
}

export async function showTopicList(ctx: BotContext): Promise<void> {
  const keyboard = new InlineKeyboard();
  for (const topic of ctx.deps.content.topics.topics) keyboard.text(ctx.t(`topics.${topic.id}.title`), cb("topic", topic.id, 1)).row();
  await show(ctx, ctx.t("topics.menu_title"), menuButton(ctx, keyboard));
}

export function topicScreen(ctx: BotContext, topic: Topic, page: number): { text: string; keyboard: InlineKeyboard } {
  const t = ctx.t;
  const last = page === topic.screens;
  const parts = [
    `<b>${t(`topics.${topic.id}.title`)}</b>`,
    t(`topics.${topic.id}.p${page}`),
    `<i>${t("topics.page", { n: page, total: topic.screens })}</i>`,
  ];
  if (last) parts.push(t("topics.end"));
  const keyboard = new InlineKeyboard().text(t("button.back"), page === 1 ? cb("topics") : cb("topic", topic.id, page - 1));
  if (!last) keyboard.text(t("button.next"), cb("topic", topic.id, page + 1));
  keyboard.row();
  if (last) {
    keyboard.text(t("button.check"), cb("scr", "open")).row();
    keyboard.text(t("button.help"), cb("dir")).row();
    keyboard.text(t("button.talk"), cb("talk")).row();
    if (topic.save) keyboard.text(t("button.save"), cb("topic", topic.id, "save")).row();
  }
  keyboard.text(t("button.all_topics"), cb("topics"));
  return { text: parts.join("\n\n"), keyboard: menuButton(ctx, keyboard) };
}

topics.callbackQuery(cb("topics"), showTopicList);

topics.callbackQuery(/^v1:topic:([a-z_]{2,32}):([1-9])$/, async (ctx, next) => {
  const topic = findTopic(ctx, ctx.match[1]);
  const page = Number(ctx.match[2]);
  if (!topic || page > topic.screens) return next(); // stale or forged: the fallback answers
  if (page === 1) ctx.deps.counters.bump("topic_opened", { topic: topic.id, lang: ctx.lang });
  const { text, keyboard } = topicScreen(ctx, topic, page);
  await show(ctx, text, keyboard);
});

/** The note to keep arrives as its own message, so it can be forwarded to Saved Messages. */
topics.callbackQuery(/^v1:topic:([a-z_]{2,32}):save$/, async (ctx, next) => {
  const topic = findTopic(ctx, ctx.match[1]);
  if (!topic?.save) return next();
  await send(ctx, `${ctx.t("topics.save_title")}\n\n${ctx.t(`topics.${topic.id}.save`)}`);
});
