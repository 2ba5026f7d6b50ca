import { SCREEN_LIMIT } from "../../ui/pages";
import { randomBytes } from "node:crypto";
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../context";
import type { ChoiceQuestion, Question, Track } from "../../content/screening";
import { ANSWERS, COUNTRY_CODES, type CountryCode, type ScreeningState } from "../../store/session";
import { buttonAction, dispatch } from "../../routing";
import { cb } from "../../ui/callback-data";
import { menuButton, notice, send, show } from "../../ui/screen";
import { emergencyPanel } from "../directory/format";
import { showMenu } from "../menu";
import { topicScreen } from "../topics";
import { showResultPage } from "./result";
import { score } from "./scoring";

/**
 * The self-check as a small state machine over the sealed session, interpreted
 * from dialogs/screening.json. Each update costs the same whatever the step:
 * the session holds only the track, the step, the phase and the answers so far.
 *
 * Buttons carry the run id and the step they belong to, so a button from an
 * old message, another run or a made-up step is refused without touching state.
 */
export const screening = new Composer<BotContext>();
// Each button names its action ("v1:scr:<action>:…"); a press goes straight to
// that action's handler (installed at the end of this file, once all are defined).
const actions: Record<string, Composer<BotContext>> = {};
const on = (action: string) => (actions[action] = new Composer<BotContext>());

function trackOf(ctx: BotContext, id: string): Track | undefined {
  return ctx.deps.content.screening.tracks.find((t) => t.id === id);
}

/** Counts where people stop, to find questions that hurt (aggregate only). */
export function countStop(ctx: BotContext, reason: "stop" | "exit"): void {
  const state = ctx.session.screening;
  if (!state) return;
  const question = trackOf(ctx, state.track)?.questions[state.step]?.id ?? "unknown";
  ctx.deps.counters.bump("screening_stopped", { track: state.track, question, reason });
}

// ── rendering ────────────────────────────────────────────────────────────────

function questionKeyboard(ctx: BotContext, state: ScreeningState, q: Question): InlineKeyboard {
  const t = ctx.t;
  const answer = (value: string) => cb("scr", "a", state.run, state.step, value);
  const keyboard = new InlineKeyboard();
  if (q.kind === "yes_no") {
    keyboard.text(t("screening.answer.yes"), answer("yes")).text(t("screening.answer.no"), answer("no")).row();
    keyboard.text(t("screening.answer.unsure"), answer("unsure")).text(t("screening.answer.skip"), answer("skip")).row();
  } else {
    q.options.forEach((option, i) => {
      keyboard.text(t(`screening.option.${option}`), answer(option));
      if (i % 2 === 1 || option === "already_there") keyboard.row();
    });
    keyboard.row();
  }
  return backPauseStop(ctx, state, keyboard);
}

/** Back · Pause, then Stop: under every question, the urgent follow-up included. */
function backPauseStop(ctx: BotContext, state: ScreeningState, keyboard: InlineKeyboard): InlineKeyboard {
  keyboard.text(ctx.t("screening.back"), cb("scr", "back", state.run, state.step));
  keyboard.text(ctx.t("screening.pause"), cb("scr", "pause", state.run, state.step));
  return keyboard.row().text(ctx.t("screening.stop"), cb("scr", "stop", state.run));
}

function continueOrStop(ctx: BotContext, state: ScreeningState): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t("screening.continue"), cb("scr", "cont", state.run, state.step)).row()
    .text(ctx.t("screening.stop"), cb("scr", "stop", state.run)).row();
}

/** Shows wherever the person is in the check. */
async function render(ctx: BotContext, state: ScreeningState, lead?: string): Promise<void> {
  const track = trackOf(ctx, state.track);
  const q = track?.questions[state.step];
  if (!track || !q) return finish(ctx);
  const t = ctx.t;
  const withLead = (text: string) => (lead ? `${lead}\n\n${text}` : text);
  switch (state.phase) {
    case "pause": {
      const minutes = Math.round(ctx.deps.sessions.ttlSeconds / 60);
      return show(ctx, withLead(t("screening.pause_offer", { count: minutes })), continueOrStop(ctx, state).text(t("screening.pause"), cb("scr", "pause", state.run, state.step)));
    }
    case "urgent": {
      const answer = (value: string) => cb("scr", "u", state.run, state.step, value);
      const keyboard = new InlineKeyboard()
        .text(t("screening.answer.yes"), answer("yes")).text(t("screening.answer.no"), answer("no")).row()
        .text(t("screening.answer.unsure"), answer("unsure")).text(t("screening.answer.skip"), answer("skip")).row();
      return show(ctx, withLead(`<b>${t("screening.urgent_question")}</b>`), backPauseStop(ctx, state, keyboard));
    }
    case "urgent_choice":
      return show(ctx, withLead(t("screening.urgent_choice")), continueOrStop(ctx, state).text(t("button.talk"), cb("talk")));
    default: {
      const progress = `<i>${t("screening.progress", { n: state.step + 1, total: track.questions.length })}</i>`;
      return show(ctx, withLead(`${progress}\n\n<b>${t(`screening.q.${q.id}.text`)}</b>`), questionKeyboard(ctx, state, q));
    }
  }
}

/** Scores, keeps a short summary (no answers), and shows the result's first page. */
async function finish(ctx: BotContext): Promise<void> {
  const state = ctx.session.screening;
  const track = state && trackOf(ctx, state.track);
  delete ctx.session.screening;
  if (!state || !track) return showMenu(ctx);
  const result = score(ctx.deps.content.screening, track, state.answers);
  const readMore = Object.entries(track.read_more_by_choice ?? {}).find(([choice]) => Object.values(state.answers).includes(choice))?.[1] ?? track.read_more_topic;
  ctx.session.summary = {
    track: track.id,
    tier: result.tier,
    yes: result.yes,
    unsure: result.unsure,
    rules: result.rules,
    child: result.child,
    skippedMany: result.skippedMany,
    unsureMany: result.unsureMany,
    readMore,
  };
  ctx.deps.counters.bump("screening_result", { lang: ctx.lang, track: track.id, tier: result.tier });
  await showResultPage(ctx, ctx.session.summary, 0);
}

// ── moving through the check ─────────────────────────────────────────────────

/** Moves forward to `step`, offering a pause first where the definition asks for one. */
async function advance(ctx: BotContext, state: ScreeningState, step: number, lead?: string): Promise<void> {
  const track = trackOf(ctx, state.track);
  state.step = step;
  state.phase = "question";
  if (!track || step >= track.questions.length) return finish(ctx);
  const q = track.questions[step];
  if (q?.kind === "yes_no" && q.pause_before) state.phase = "pause";
  await render(ctx, state, lead);
}

async function applyChoice(ctx: BotContext, state: ScreeningState, q: ChoiceQuestion, value: string): Promise<void> {
  if (q.sets === "country") {
    // "Prefer not to say" also forgets a country chosen earlier: no help is shown for a place the person did not name.
    if ((COUNTRY_CODES as readonly string[]).includes(value)) ctx.session.country = value as CountryCode;
    else delete ctx.session.country;
  }
  const target = q.switch?.[value];
  const next = target ? trackOf(ctx, target) : undefined;
  if (!next) return advance(ctx, state, state.step + 1);
  // "I've already accepted and I'm there now": carry the shared answers over.
  ctx.deps.counters.bump("screening_switched", { from: state.track, to: next.id });
  const answers = Object.fromEntries(Object.entries(state.answers).filter(([id]) => next.questions.some((x) => x.id === id)));
  const firstOpen = next.questions.findIndex((x) => answers[x.id] === undefined);
  ctx.session.screening = { ...state, track: next.id, answers, step: 0, phase: "question" };
  await advance(ctx, ctx.session.screening, firstOpen === -1 ? next.questions.length : firstOpen, ctx.t("screening.switched"));
}

/**
 * Resolves a button to the live state, or answers that it is out of date.
 * Stale buttons never change state.
 */
async function liveState(ctx: BotContext, run: string, step?: number): Promise<ScreeningState | undefined> {
  const state = ctx.session.screening;
  if (state && state.run === run && (step === undefined || state.step === step)) return state;
  // An open check: the button belongs to an earlier step, and the current one is shown again.
  await notice(ctx, ctx.t(state ? "screening.stale_step" : "screening.expired"), !state);
  if (state) await render(ctx, state);
  else await showMenu(ctx);
  return undefined;
}

/** What to check: one button per track, and "someone else". */
async function showTrackChoice(ctx: BotContext): Promise<void> {
  const keyboard = new InlineKeyboard();
  for (const track of ctx.deps.content.screening.tracks) keyboard.text(ctx.t(`screening.track.${track.id}`), cb("scr", "track", track.id)).row();
  keyboard.text(ctx.t("screening.track.other"), cb("scr", "track", "other")).row();
  await show(ctx, ctx.t("screening.choose_track"), menuButton(ctx, keyboard));
}

/** Steps of a check in progress: while its state cannot be reached they must not touch it. */
const STEPS = new Set(["a", "u", "back", "pause", "cont", "stop"]);
/** Screens that need no state. */
const STATELESS = new Set(["later", "begin"]);

/**
 * While the store cannot be reached, the check is not lost, only out of reach:
 * every step says so with the help numbers and changes nothing, and the
 * question's buttons stay on screen, so the same press works once the store is
 * back.
 */
async function unavailable(ctx: BotContext, action: string | undefined): Promise<void> {
  const inCheck = STEPS.has(action ?? "");
  await notice(ctx, ctx.t(inCheck ? "screening.unavailable_short" : "state_unavailable_short"));
  await send(ctx, emergencyPanel(ctx, "danger", ctx.t(inCheck ? "screening.unavailable" : "state_unavailable")), menuButton(ctx));
}

// ── handlers ─────────────────────────────────────────────────────────────────

/** From the menu: resume a check that is open, or start with the safety screen. */
on("open").callbackQuery(cb("scr", "open"), async (ctx) => {
  const state = ctx.session.screening;
  if (state) {
    if (state.phase === "paused") state.phase = "question";
    return render(ctx, state);
  }
  const keyboard = new InlineKeyboard()
    .text(ctx.t("screening.start"), cb("scr", "begin"))
    .text(ctx.t("screening.not_now"), cb("scr", "later"));
  await show(ctx, ctx.t("screening.intro"), keyboard);
});

on("later").callbackQuery(cb("scr", "later"), (ctx) => showMenu(ctx, ctx.t("screening.not_now_reply")));

on("begin").callbackQuery(cb("scr", "begin"), showTrackChoice);

on("track").callbackQuery(/^v1:scr:track:([a-z_]{1,32})$/, async (ctx, next) => {
  const id = ctx.match[1] ?? "";
  if (id === "other") {
    ctx.deps.counters.bump("screening_started", { lang: ctx.lang, track: "other" });
    const topic = ctx.deps.content.topics.topics.find((x) => x.id === ctx.deps.content.screening.someone_else_topic);
    if (!topic) return showMenu(ctx);
    const { text, keyboard } = topicScreen(ctx, topic, 1);
    // "…and where they (or you) can call": the directory is one press away from the first screen.
    const withThanks = `${ctx.t("screening.other_person")}\n\n${text}`;
    // The thanks goes first when both fit one phone screen; the topic's own words are what matter.
    return show(ctx, withThanks.length <= SCREEN_LIMIT ? withThanks : text, keyboard.row().text(ctx.t("button.help"), cb("dir")));
  }
  const track = trackOf(ctx, id);
  if (!track) return next();
  const state: ScreeningState = { run: randomBytes(3).toString("base64url"), track: track.id, step: 0, phase: "question", answers: {} };
  ctx.session.screening = state;
  delete ctx.session.summary;
  ctx.deps.counters.bump("screening_started", { lang: ctx.lang, track: track.id });
  await render(ctx, state, ctx.t(`screening.track_intro.${track.id}`));
});

on("a").callbackQuery(/^v1:scr:a:([\w-]{1,8}):(\d{1,2}):(\w{1,24})$/, async (ctx) => {
  const [, run = "", step, value = ""] = ctx.match;
  const state = await liveState(ctx, run, Number(step));
  if (!state) return;
  const q = trackOf(ctx, state.track)?.questions[state.step];
  const valid = state.phase === "question" && q && (q.kind === "yes_no" ? (ANSWERS as readonly string[]).includes(value) : q.options.includes(value));
  if (!q || !valid) {
    await notice(ctx, ctx.t("screening.stale_step"));
    return render(ctx, state);
  }
  state.answers[q.id] = value;
  if (q.kind === "choice") return applyChoice(ctx, state, q, value);
  if (q.urgent && value === "yes" && !state.urgentSeen) {
    state.phase = "urgent";
    return render(ctx, state);
  }
  await advance(ctx, state, state.step + 1);
});

/**
 * The urgent follow-up: "yes" and "not sure" both bring the emergency panel at
 * once (a person unsure whether they are in danger needs the numbers too),
 * then the choice to go on or stop.
 */
on("u").callbackQuery(/^v1:scr:u:([\w-]{1,8}):(\d{1,2}):(yes|no|unsure|skip)$/, async (ctx) => {
  const [, run = "", step, value] = ctx.match;
  const state = await liveState(ctx, run, Number(step));
  if (!state) return;
  if (state.phase !== "urgent") {
    await notice(ctx, ctx.t("screening.stale_step"));
    return render(ctx, state);
  }
  if (value === "no" || value === "skip") return advance(ctx, state, state.step + 1);
  if (value === "yes") {
    ctx.session.urgent = true;
    state.urgentSeen = true;
  }
  state.phase = "urgent_choice";
  ctx.deps.counters.bump("screening_urgent", { track: state.track, answer: value ?? "" });
  await show(ctx, value === "yes" ? emergencyPanel(ctx) : emergencyPanel(ctx, "danger", ctx.t("screening.urgent_unsure")));
  // The panel stays in the chat; the choice comes as a new message below it.
  await send(ctx, ctx.t("screening.urgent_choice"), continueOrStop(ctx, state).text(ctx.t("button.talk"), cb("talk")));
});

on("back").callbackQuery(/^v1:scr:back:([\w-]{1,8}):(\d{1,2})$/, async (ctx) => {
  const [, run = "", step] = ctx.match;
  const state = await liveState(ctx, run, Number(step));
  if (!state) return;
  if (state.phase !== "question" || state.step === 0) {
    // Back from a pause or urgent screen returns to the question; from the first question, to the choice of track.
    if (state.phase !== "question") {
      state.phase = "question";
      return render(ctx, state);
    }
    delete ctx.session.screening;
    return showTrackChoice(ctx);
  }
  state.step -= 1;
  await render(ctx, state);
});

on("pause").callbackQuery(/^v1:scr:pause:([\w-]{1,8}):(\d{1,2})$/, async (ctx) => {
  const [, run = "", step] = ctx.match;
  const state = await liveState(ctx, run, Number(step));
  if (!state) return;
  state.phase = "paused";
  const minutes = Math.round(ctx.deps.sessions.ttlSeconds / 60);
  ctx.deps.counters.bump("screening_paused", { track: state.track });
  await showMenu(ctx, ctx.t("screening.paused", { count: minutes }));
});

on("cont").callbackQuery(/^v1:scr:cont:([\w-]{1,8}):(\d{1,2})$/, async (ctx) => {
  const [, run = "", step] = ctx.match;
  const state = await liveState(ctx, run, Number(step));
  if (!state) return;
  if (state.phase === "urgent_choice") return advance(ctx, state, state.step + 1);
  state.phase = "question";
  await render(ctx, state);
});

on("stop").callbackQuery(/^v1:scr:stop:([\w-]{1,8})$/, async (ctx) => {
  const state = await liveState(ctx, ctx.match[1] ?? "");
  if (!state) return;
  countStop(ctx, "stop");
  delete ctx.session.screening;
  // "Stop here and still see the help numbers", as the pause screen promises.
  await showMenu(ctx, emergencyPanel(ctx, "danger", ctx.t("screening.stopped")));
});

/** The result's pages, from the summary kept until the session ends. */
on("res").callbackQuery(/^v1:scr:res:(\d{1,2})$/, async (ctx) => {
  const summary = ctx.session.summary;
  if (!summary) {
    await notice(ctx, ctx.t("screening.expired"), true);
    return showMenu(ctx);
  }
  await showResultPage(ctx, summary, Number(ctx.match[1]));
});

screening.use((ctx, next) => {
  const action = buttonAction(ctx);
  return ctx.stateAvailable || STATELESS.has(action ?? "") ? next() : unavailable(ctx, action);
});
screening.use(dispatch(buttonAction, actions));
