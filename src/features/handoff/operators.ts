import { Composer } from "grammy";
import type { BotContext } from "../../context";
import { when } from "../../routing";
import { notice } from "../../ui/screen";
import { statsLines } from "./case-metrics";
import type { CaseRecord } from "./cases";

const SAY_KEYS = ["greeting", "ask_what_happened", "give_hotline", "closing"] as const;
const MEMBER_STATUSES = new Set(["creator", "administrator", "member"]);

/**
 * The operators' side, in a configured forum supergroup: one topic per case,
 * Take/Close on its card, /cases, /take, /close, /stats, /say, and the relay of
 * what operators write in a taken case's topic to the person (copyMessage:
 * the person sees the bot, never the operator). Lines starting with "!" are
 * internal notes and stay in the group.
 */
const ops = new Composer<BotContext>();
export const operators = when<BotContext>((ctx) => Boolean(ctx.deps.handoff?.groupById(ctx.chat?.id)), ops);

async function caseOfTopic(ctx: BotContext): Promise<CaseRecord | undefined> {
  const thread = ctx.msg?.message_thread_id;
  if (!ctx.msg?.is_topic_message || thread === undefined || !ctx.chat) return undefined;
  return ctx.deps.handoff!.cases.byThread(ctx.chat.id, thread);
}

async function isMember(ctx: BotContext): Promise<boolean> {
  if (!ctx.chat || !ctx.from) return false;
  try {
    return MEMBER_STATUSES.has((await ctx.api.getChatMember(ctx.chat.id, ctx.from.id)).status);
  } catch {
    return false;
  }
}

ops.callbackQuery(/^v1:op:(take|close):(\w{6})$/, async (ctx) => {
  const handoff = ctx.deps.handoff!;
  const rec = await handoff.cases.get(ctx.match[2] ?? "");
  const thread = ctx.callbackQuery.message?.message_thread_id;
  // A button acts only on its own open case, in its own topic.
  if (!rec || rec.group !== ctx.chat?.id || rec.thread !== thread || rec.state === "closed") return notice(ctx, ctx.t("operator.stale"), true);
  if (!(await isMember(ctx))) return notice(ctx, ctx.t("operator.not_member"), true);
  if (ctx.match[1] === "take") {
    if (rec.state !== "waiting") return notice(ctx, ctx.t("operator.stale"), true);
    await handoff.take(rec);
    await notice(ctx, ctx.t("operator.take"));
    await handoff.toGroup(rec, ctx.t("operator.taken"));
  } else {
    await notice(ctx, ctx.t("operator.close"));
    await handoff.close(rec, "operator");
  }
});

ops.command("cases", async (ctx) => {
  const handoff = ctx.deps.handoff!;
  const open = await handoff.cases.open(ctx.chat.id);
  if (!open.length) return void (await ctx.reply(ctx.t("operator.no_cases")));
  const now = Date.now();
  const lines = open.map((rec) =>
    ctx.t("operator.case_line", {
      urgent: rec.urgent ? "❗ " : "",
      code: rec.code,
      language: rec.lang,
      state: ctx.t(`operator.state_${rec.state}`),
      minutes: Math.floor((now - rec.createdAt) / 60_000),
    }),
  );
  await ctx.reply([ctx.t("operator.cases_title"), ...lines].join("\n"), { parse_mode: "HTML" });
});

ops.command("stats", async (ctx) => {
  const counters = await ctx.deps.counters.day(ctx.deps.counters.today());
  // Starts by campaign and language: how the awareness campaigns are doing today.
  const starts = Object.entries(counters)
    .filter(([k]) => k.startsWith("start|"))
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `/start ${k.slice("start|".length).replace(/\|/g, " · ")}: ${v}`);
  // This group's cases: counts, who closed them, abandoned, outside hours, the waits' median and p90.
  const cases = statsLines(counters, ctx.deps.handoff!.caseMetrics.groupLabel(ctx.chat.id), ctx.t, ctx.lang);
  await ctx.reply([...cases, ...starts].join("\n"), { parse_mode: "HTML" });
});

ops.command(["take", "close", "say"], async (ctx) => {
  const handoff = ctx.deps.handoff!;
  const rec = await caseOfTopic(ctx);
  if (!rec || rec.state === "closed") return void (await ctx.reply(ctx.t("operator.in_topic_only")));
  const command = ctx.message?.text?.slice(1).split(/[\s@]/)[0];
  if (command === "take") {
    if (rec.state !== "waiting") return void (await ctx.reply(ctx.t("operator.stale")));
    await handoff.take(rec);
    return void (await ctx.reply(ctx.t("operator.taken")));
  }
  if (command === "close") return handoff.close(rec, "operator");
  // /say KEY: a canned reply in the person's language; the operator sees what was sent in English.
  const key = SAY_KEYS.find((k) => k === ctx.match.trim());
  if (!key) return void (await ctx.reply(ctx.t("operator.say_usage")));
  if (rec.state !== "taken") return void (await ctx.reply(ctx.t("operator.take_first")));
  const inTheirLanguage = handoff.t(rec.lang)(`handoff.say.${key}`);
  const text = key === "give_hotline" ? `${inTheirLanguage}\n\n${handoff.panel(rec)}` : inTheirLanguage;
  await handoff.tellPerson(rec, text);
  await handoff.caseMetrics.firstReply(rec);
  await ctx.reply(`${ctx.t("operator.say_sent", { language: rec.lang })}\n<i>${handoff.t("en")(`handoff.say.${key}`)}</i>`, { parse_mode: "HTML" });
});

ops.on("edited_message", async (ctx) => {
  if (await caseOfTopic(ctx)) await ctx.reply(ctx.t("operator.edit_not_passed"));
});

ops.on("message", async (ctx) => {
  const handoff = ctx.deps.handoff!;
  const message = ctx.message;
  if (message.from?.is_bot || message.forum_topic_created || message.forum_topic_closed || message.forum_topic_edited || message.forum_topic_reopened) return;
  if ((message.text ?? message.caption ?? "").startsWith("!")) return; // an internal note
  const rec = await caseOfTopic(ctx);
  if (!rec || rec.state === "closed") return;
  if (rec.state !== "taken") return void (await ctx.reply(ctx.t("operator.take_first")));
  // Through the relay, with quick exit under it, as on every screen the person sees.
  await handoff.relayToPerson(rec, message.message_id);
  await handoff.caseMetrics.firstReply(rec);
});
