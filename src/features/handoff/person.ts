import { Composer, InlineKeyboard, type MiddlewareFn, type NextFunction } from "grammy";
import type { BotContext } from "../../context";
import { describeError } from "../../errors";
import { cb } from "../../ui/callback-data";
import { menuButton, notice, send, show } from "../../ui/screen";
import { emergencyPanel } from "../directory/format";
import { answerUrgent } from "../urgent";
import { showMenu } from "../menu";
import { newCaseCode, type CaseRecord } from "./cases";
import type { Handoff } from "./service";

/**
 * The person's side of the handoff: consent first (exactly what the worker
 * will see, the limits of confidentiality, and — after a self-check — whether
 * to share its result), then the queue, then the conversation, during which
 * everything they send is passed on and the bot's own flows stay silent.
 */
export const handoffPerson = new Composer<BotContext>();

const plainText = (html: string) => html.replace(/<[^>]+>/g, "");

async function consentScreen(ctx: BotContext): Promise<void> {
  const t = ctx.t;
  const code = ctx.session.consent ?? newCaseCode();
  ctx.session.consent = code;
  const summary = ctx.session.summary;
  const parts = [t("handoff.consent", { code, language: t(`directory.language_names.${ctx.lang}`) })];
  if (ctx.session.campaign) parts[0] += `\n${t("handoff.consent_campaign", { campaign: ctx.session.campaign })}`;
  // What the person told us earlier makes the case urgent (answered first): they are told so here.
  if (ctx.session.urgent) parts[0] += `\n${t("handoff.consent_urgent")}`;
  parts.push(t("handoff.consent_not_seen"), t("handoff.confidentiality"), summary ? t("handoff.ask_share") : t("handoff.ask"));
  const keyboard = new InlineKeyboard();
  if (summary) {
    keyboard.text(t("handoff.share"), cb("talk", "preview")).row();
    keyboard.text(t("handoff.no_share"), cb("talk", "go", "plain")).row();
  } else {
    keyboard.text(t("handoff.connect"), cb("talk", "go", "plain")).row();
  }
  keyboard.text(t("handoff.not_now"), cb("talk", "no")).row();
  await show(ctx, parts.join("\n\n"), keyboard);
}

async function waitingScreen(ctx: BotContext, rec: CaseRecord): Promise<void> {
  const handoff = ctx.deps.handoff!;
  const t = ctx.t;
  const parts = [t("handoff.waiting", { code: rec.code, position: await handoff.position(rec) })];
  const group = handoff.groupById(rec.group);
  const now = Date.now();
  if (group && !group.schedule.isOpen(new Date(now))) {
    parts.push(emergencyPanel(ctx, "danger", handoff.waitingNotice(rec, "handoff.off_hours", now)));
  } else {
    const minutes = await handoff.expectedWaitMinutes();
    parts.push(minutes ? t("handoff.wait_estimate", { minutes }) : t("handoff.wait_unknown"));
  }
  parts.push(t("handoff.waiting_write"));
  await show(ctx, parts.join("\n\n"), new InlineKeyboard().text(t("handoff.cancel"), cb("case", "cancel", rec.code)));
}

handoffPerson.callbackQuery(cb("talk"), async (ctx, next) => {
  if (!ctx.deps.handoff) return next(); // no operators' group: the "talk" feature shows the hotlines
  if (!ctx.stateAvailable) return send(ctx, emergencyPanel(ctx, "danger", ctx.t("handoff.unavailable_now")), menuButton(ctx));
  await consentScreen(ctx);
});

handoffPerson.callbackQuery(cb("talk", "preview"), async (ctx) => {
  const summary = ctx.session.summary;
  if (!ctx.deps.handoff || !summary) return showMenu(ctx);
  const keyboard = new InlineKeyboard()
    .text(ctx.t("handoff.send_and_connect"), cb("talk", "go", "share")).row()
    .text(ctx.t("button.back"), cb("talk")).row();
  await show(ctx, `${ctx.t("handoff.preview")}\n\n<i>${ctx.deps.handoff.summaryLines(summary, ctx.lang)}</i>`, keyboard);
});

handoffPerson.callbackQuery(cb("talk", "no"), (ctx) => {
  delete ctx.session.consent;
  return showMenu(ctx, ctx.t("handoff.not_now_reply"));
});

handoffPerson.callbackQuery(/^v1:talk:go:(plain|share)$/, async (ctx) => {
  const handoff = ctx.deps.handoff;
  const code = ctx.session.consent;
  if (!handoff || !code || !ctx.chat) return showMenu(ctx);
  const share = ctx.match[1] === "share" && ctx.session.summary;
  // Declining to share erases the summary: it was kept only for this choice.
  const summary = share ? ctx.session.summary : undefined;
  delete ctx.session.summary;
  delete ctx.session.consent;
  let rec: CaseRecord | undefined;
  try {
    rec = await handoff.open({
      code,
      lang: ctx.lang,
      chat: ctx.chat.id,
      person: ctx.pseudonym,
      urgent: Boolean(ctx.session.urgent || (summary && summary.tier === 3)),
      ...(ctx.session.campaign ? { campaign: ctx.session.campaign } : {}),
      ...(ctx.session.country ? { country: ctx.session.country } : {}),
      ...(summary ? { summary } : {}),
    });
  } catch (error) {
    ctx.deps.log.error({ event: "handoff_open_failed", error: describeError(error) });
  }
  if (!rec) return show(ctx, emergencyPanel(ctx, "danger", ctx.t("handoff.unavailable_now")), menuButton(ctx));
  await waitingScreen(ctx, rec);
});

/** Case controls and the relay; installed before the other features, after quick exit. */
export const activeCase: MiddlewareFn<BotContext> = (ctx, next) => {
  const handoff = ctx.deps.handoff;
  if (!handoff || ctx.chat?.type !== "private" || !ctx.stateAvailable) return next();
  return duringCase(ctx, next, handoff);
};

async function duringCase(ctx: BotContext, next: NextFunction, handoff: Handoff): Promise<void> {
  const rec = await handoff.cases.byPerson(ctx.pseudonym);
  if (!rec) return next();
  const t = ctx.t;

  const action = /^v1:case:(cancel|end|wait):(\w{6})$/.exec(ctx.callbackQuery?.data ?? "");
  if (action && action[2] === rec.code) {
    if (action[1] === "wait") {
      await notice(ctx, t("handoff.kept_waiting"));
      return;
    }
    const wasTaken = rec.state === "taken"; // close() marks the record closed
    await handoff.close(rec, "person");
    return showMenu(ctx, t(wasTaken || action[1] === "end" ? "handoff.ended_by_you" : "handoff.cancelled"));
  }
  if (ctx.message?.text === "/end") {
    await handoff.close(rec, "person");
    return showMenu(ctx, t("handoff.ended_by_you"));
  }
  if (ctx.callbackQuery) {
    // Other buttons are paused while a worker is on the case.
    await notice(ctx, plainText(rec.state === "taken" ? t("handoff.joined") : t("handoff.waiting_write")), true);
    return;
  }
  if (ctx.editedMessage) {
    await ctx.reply(t("handoff.edit_not_passed"));
    return;
  }
  if (ctx.message) {
    await handoff.relayFromPerson(rec, ctx.message.message_id, ctx.message.media_group_id);
    const text = ctx.message.text ?? ctx.message.caption;
    if (text && ctx.deps.urgent.matches(text)) {
      if (!rec.urgent) {
        rec.urgent = true;
        await handoff.cases.save(rec);
      }
      if (rec.state === "waiting") await answerUrgent(ctx, text);
    }
    return;
  }
  await next();
}
