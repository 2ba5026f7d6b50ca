import { LANGUAGES, type Lang } from "../src/i18n/languages";
import { plain, type Person } from "../src/cli/local-telegram";
import { SCREEN_LIMIT } from "../src/ui/pages";
import { harness, profile, type Harness } from "./helpers/harness";
import { htmlProblems } from "./helpers/html";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});

const tt = (lang: Lang = "en") => h.deps.i18n.getFixedT(lang);
const session = (p: Person) => h.deps.sessions.read(h.deps.keys.pseudonym("chat", p.profile.id));
const today = () => h.deps.counters.today();
const track = (id: string) => h.deps.content.screening.tracks.find((t) => t.id === id)!;

/** Opens the check from the menu and chooses a track. */
async function begin(p: Person, id: "situation" | "offer" | "other", lang: Lang = "en") {
  const t = tt(lang);
  await h.handle(p.text("/start"));
  await h.handle(p.press(t("button.check")));
  expect(h.screen(p.profile.id)).toContain(t("screening.intro").split("\n")[0]?.replace(/<\/?b>/g, ""));
  await h.handle(p.press(t("screening.start")));
  await h.handle(p.press(t(`screening.track.${id}`)));
}

const label = (t: ReturnType<typeof tt>, value: string) =>
  ["yes", "no", "unsure", "skip"].includes(value) ? t(`screening.answer.${value}`) : t(`screening.option.${value}`);

/**
 * Answers the open check question by question, by id: `answers[id]`, else
 * "no". A pause offer is passed with "Continue"; the urgent follow-up gets
 * `urgent` (then "Continue"). Stops when the result shows.
 */
async function walk(p: Person, answers: Record<string, string>, { lang = "en" as Lang, urgent = "no" } = {}) {
  const t = tt(lang);
  for (let guard = 0; guard < 60; guard++) {
    const state = (await session(p))?.screening;
    if (!state) return;
    if (state.phase === "pause" || state.phase === "urgent_choice") {
      await h.handle(p.press(t("screening.continue")));
      continue;
    }
    if (state.phase === "urgent") {
      await h.handle(p.press(t(`screening.answer.${urgent}`)));
      continue;
    }
    const q = track(state.track).questions[state.step]!;
    await h.handle(p.press(label(t, answers[q.id] ?? "no")));
  }
  throw new Error("the check did not end");
}

/** Every page of the result, turned with "Next", as plain text. */
async function resultPages(p: Person, lang: Lang = "en"): Promise<string[]> {
  const pages = [h.tg.lastBotMessage(p.profile.id)?.text ?? ""];
  while (h.buttons(p.profile.id).includes(tt(lang)("button.next"))) {
    await h.handle(p.press(tt(lang)("button.next")));
    pages.push(h.tg.lastBotMessage(p.profile.id)?.text ?? "");
  }
  return pages;
}

describe.each(LANGUAGES)("in %s", (lang) => {
  test("the current-situation check, walked end to end, gives a result in pages that fit a phone, and keeps no raw answer", async () => {
    const t = tt(lang);
    const p = h.person(profile(lang));
    await begin(p, "situation", lang);
    expect(h.screen(p.profile.id)).toContain(t("screening.q.country.text"));
    await walk(p, { country: "UA", age: "18_24", deceived: "yes", pay_kept: "unsure", id_kept: "yes" }, { lang });
    const pages = await resultPages(p, lang);
    for (const page of pages) {
      expect(htmlProblems(page)).toEqual([]);
      expect(page.length).toBeLessThanOrEqual(SCREEN_LIMIT);
    }
    const all = pages.join("\n");
    expect(all).toContain(t("screening.result.title.situation_3"));
    expect(all).toContain(t("screening.result.thanks"));
    expect(all).toContain(t("screening.why.key_sign", { signs: t("screening.q.id_kept.sign") }));
    for (const id of ["deceived", "id_kept", "pay_kept"]) expect(all).toContain(t(`screening.q.${id}.sign`));
    expect(all).toContain("1547"); // help for the country chosen in the check
    const s = await session(p);
    expect(s?.screening).toBeUndefined();
    expect(s?.summary).toMatchObject({ track: "situation", tier: 3, yes: ["deceived", "id_kept"], unsure: ["pay_kept"], rules: [{ id: "key_sign", signs: ["id_kept"] }] });
    expect(JSON.stringify(s)).not.toMatch(/"answers"/);
    expect(await h.deps.counters.day(today())).toMatchObject({ [`screening_result|lang=${lang}|tier=3|track=situation`]: 1 });
  });

  test("the offer check, walked end to end", async () => {
    const t = tt(lang);
    const p = h.person(profile(lang));
    await begin(p, "offer", lang);
    await walk(p, { country: "LV", age: "25plus", offer_type: "job_abroad", online_only: "yes", pay_high: "yes" }, { lang });
    const all = (await resultPages(p, lang)).join("\n");
    expect(all).toContain(t("screening.result.title.offer_2"));
    expect(all).toContain(t("screening.result.next.offer_2"));
    expect(all).toContain("+371 28612120");
  });
});

test("all 'no' gives 'no strong signs', never a label, and no line that assumes harm", async () => {
  const p = h.person();
  await begin(p, "situation");
  await walk(p, { country: "KZ", age: "18_24" });
  const all = (await resultPages(p)).join("\n");
  expect(all).toContain(tt()("screening.result.no_signs"));
  expect(all).not.toContain(tt()("screening.result.thanks"));
  expect(all).not.toMatch(/victim|trafficked/i);
});

test("D3: an adult who says yes only to a sexual exchange is never shown the lowest tier, and is told why", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await walk(p, { country: "LV", age: "25plus", sex_exchange: "yes" });
  const first = h.tg.lastBotMessage(p.profile.id)?.text ?? "";
  expect(first).toContain(t("screening.result.title.situation_2"));
  expect(first).toContain(t("screening.why.qyit_sign", { signs: t("screening.q.sex_exchange.sign") }));
});

test("D11: 'not sure' to everything is not the top tier, says so plainly, and offers a person", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  const unsure = Object.fromEntries(track("situation").questions.filter((q) => q.kind === "yes_no").map((q) => [q.id, "unsure"]));
  await walk(p, { country: "UA", age: "18_24", ...unsure });
  const all = (await resultPages(p)).join("\n");
  expect(all).toContain(t("screening.result.title.situation_2"));
  expect(all).not.toContain(t("screening.result.title.situation_3"));
  expect(all).not.toContain(t("screening.result.thanks"));
  expect(all).toContain(t("screening.result.many_unsure"));
  expect(h.buttons(p.profile.id)).toContain(t("button.talk"));
});

test("D4: a red offer result for a 14–17-year-old says it is red because of the age and the job abroad", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "offer");
  await walk(p, { country: "KZ", age: "14_17", offer_type: "job_abroad", online_only: "yes" });
  const first = h.tg.lastBotMessage(p.profile.id)?.text ?? "";
  expect(first).toContain(t("screening.result.title.offer_3"));
  expect(first).toContain(t("screening.why.child_abroad", { signs: t("screening.q.online_only.sign") }));
});

test("D8: 'prefer not to say' forgets the country of an earlier check", async () => {
  const p = h.person();
  await begin(p, "situation");
  await walk(p, { country: "LV", age: "25plus" });
  await h.handle(p.text("/menu"));
  await h.handle(p.press(tt()("button.check")));
  await h.handle(p.press(tt()("screening.start")));
  await h.handle(p.press(tt()("screening.track.situation")));
  await walk(p, { country: "prefer_not", age: "prefer_not", id_kept: "yes" });
  const all = (await resultPages(p)).join("\n");
  expect(all).not.toContain("+371");
  expect((await session(p))?.country).toBeUndefined();
});

test("skipping more than half is said honestly instead of 'no signs'", async () => {
  const p = h.person();
  await begin(p, "situation");
  const skips = Object.fromEntries(track("situation").questions.filter((q) => q.kind === "yes_no").slice(0, 12).map((q) => [q.id, "skip"]));
  await walk(p, { country: "prefer_not", age: "prefer_not", ...skips });
  const all = (await resultPages(p)).join("\n");
  expect(all).toContain(tt()("screening.result.many_skipped"));
  expect(all).not.toContain(tt()("screening.result.no_signs"));
});

test("the result's pages turn back and forth while the session lives", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await walk(p, { country: "UA", age: "18_24", threats: "yes", phone: "yes" });
  const first = h.tg.lastBotMessage(p.profile.id)?.text;
  await h.handle(p.press(t("button.next")));
  expect(h.tg.lastBotMessage(p.profile.id)?.text).not.toBe(first);
  await h.handle(p.press(t("button.back")));
  expect(h.tg.lastBotMessage(p.profile.id)?.text).toBe(first);
});

test("back changes the previous answer", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  for (const o of ["UA", "18_24", "yes"]) await h.handle(p.press(label(t, o)));
  await h.handle(p.press(t("screening.back")));
  expect(h.screen(p.profile.id)).toContain(t("screening.q.deceived.text"));
  await walk(p, {});
  expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(t("screening.result.title.situation_1"));
});

test("a pause is offered by itself before the sensitive part; a paused check resumes from the menu", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  const questions = track("situation").questions;
  const pauseAt = questions.findIndex((q) => q.kind === "yes_no" && q.pause_before);
  for (let i = 0; i < pauseAt; i++) await h.handle(p.press(label(t, i === 0 ? "UA" : i === 1 ? "18_24" : "no")));
  expect(h.screen(p.profile.id)).toContain(t("screening.pause_offer", { count: 30 }).split("\n")[0]);
  await h.handle(p.press(t("screening.pause")));
  expect(h.screen(p.profile.id)).toContain(plain(t("screening.paused", { count: 30 })).slice(0, 20));
  await h.handle(p.press(t("button.continue_check")));
  expect(h.screen(p.profile.id)).toContain(t(`screening.q.${questions[pauseAt]!.id}.text`));
  expect(h.screen(p.profile.id)).toContain(t("screening.progress", { n: pauseAt + 1, total: questions.length }));
});

test("the urgent follow-up: one question, with back and pause; 'yes' and 'not sure' both bring the numbers", async () => {
  const t = tt();
  for (const value of ["yes", "unsure"] as const) {
    const p = h.person();
    await begin(p, "situation");
    const questions = track("situation").questions;
    const urgentAt = questions.findIndex((q) => q.kind === "yes_no" && q.urgent);
    for (let i = 0; (await session(p))?.screening?.step !== urgentAt || (await session(p))?.screening?.phase !== "question"; i++) {
      const s = (await session(p))!.screening!;
      if (s.phase === "pause") await h.handle(p.press(t("screening.continue")));
      else await h.handle(p.press(label(t, s.step === 0 ? "UA" : s.step === 1 ? "18_24" : "no")));
    }
    await h.handle(p.press(t("screening.answer.yes")));
    expect(h.screen(p.profile.id)).toBe(plain(t("screening.urgent_question")));
    expect(h.buttons(p.profile.id)).toEqual(expect.arrayContaining([t("screening.back"), t("screening.pause"), t("screening.answer.unsure")]));
    await h.handle(p.press(t(`screening.answer.${value}`)));
    const texts = h.tg.visible(p.profile.id).filter((m) => m.from === "bot").map((m) => m.text);
    expect(texts.some((x) => x.includes("102") && x.includes("1547"))).toBe(true);
    expect(h.screen(p.profile.id)).toContain(t("screening.urgent_choice"));
    await h.handle(p.press(t("screening.continue")));
    expect(h.screen(p.profile.id)).toContain(t(`screening.q.${questions[urgentAt + 1]!.id}.text`));
  }
});

test("an urgent 'no' goes straight on; 'stop' ends the check, erases its answers and still shows the numbers", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await h.handle(p.press(label(t, "LV")));
  await h.handle(p.press(label(t, "18_24")));
  await h.handle(p.press(t("screening.stop")));
  expect(h.screen(p.profile.id)).toContain(t("screening.stopped"));
  expect(h.screen(p.profile.id)).toContain("+371 28612120");
  expect((await session(p))?.screening).toBeUndefined();
  expect(await h.deps.counters.day(today())).toMatchObject({ "screening_stopped|question=deceived|reason=stop|track=situation": 1 });
});

test("child rules: under 18, a sexual exchange is serious, the reason says so, and child lines are added", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await walk(p, { country: "LV", age: "14_17", sex_exchange: "yes" });
  const all = (await resultPages(p)).join("\n");
  expect(all).toContain(t("screening.result.title.situation_3"));
  expect(all).toContain("116111");
});

test("'I've already accepted and I'm there now' switches to the current-situation questions", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "offer");
  for (const o of ["UA", "18_24", "already_there"]) await h.handle(p.press(label(t, o)));
  expect(h.screen(p.profile.id)).toContain(t("screening.switched"));
  expect(h.screen(p.profile.id)).toContain(t("screening.q.deceived.text"));
  expect((await session(p))?.screening).toMatchObject({ track: "situation", step: 2, answers: { country: "UA", age: "18_24" } });
});

test("worried about someone else: how to help a friend, no scoring, and the directory one press away", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "other");
  expect(h.screen(p.profile.id)).toContain(t("screening.other_person"));
  expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(t("topics.help_friend.p1"));
  expect(h.buttons(p.profile.id)).toContain(t("button.help"));
  expect((await session(p))?.screening).toBeUndefined();
});

test("quick exit mid-check leaves nothing of the check", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  for (const o of ["UA", "18_24", "yes"]) await h.handle(p.press(label(t, o)));
  await h.handle(p.press(t("button.quick_exit")));
  expect(await session(p)).toBeUndefined();
  expect(h.tg.visible(p.profile.id).map((m) => m.text)).toEqual([t("exit.neutral")]);
});

describe("forged or stale buttons are refused kindly and leave the state intact", () => {
  async function midCheck() {
    const t = tt();
    const p = h.person();
    await begin(p, "situation");
    for (const o of ["UA", "18_24", "yes"]) await h.handle(p.press(label(t, o)));
    return { p, before: await session(p) };
  }
  // The notice the person sees: with a check open, that the button is from an earlier step (and the
  // current question comes again); the general "stale button" for data the check does not recognise.
  test.each<[string, (run: string) => string, string]>([
    ["a made-up answer", (run) => `v1:scr:a:${run}:3:maybe`, "screening.stale_step"],
    ["a made-up step", (run) => `v1:scr:a:${run}:9:yes`, "screening.stale_step"],
    ["an old run's button", () => "v1:scr:a:zzzz:3:yes", "screening.stale_step"],
    ["another track's option", (run) => `v1:scr:a:${run}:3:job_abroad`, "screening.stale_step"],
    ["an urgent answer out of turn", (run) => `v1:scr:u:${run}:3:yes`, "screening.stale_step"],
    ["a malformed back", () => "v1:scr:back:x", "fallback.stale_button"],
    ["a result page with no result", () => "v1:scr:res:1", "screening.expired"],
  ])("%s", async (_name, data, key) => {
    const { p, before } = await midCheck();
    h.tg.clearCalls();
    await h.handle(p.callback(data(before?.screening?.run ?? "")));
    const answers = h.tg.calls.filter((c) => c.method === "answerCallbackQuery");
    expect(answers.map((a) => a.payload.text)).toEqual([tt()(key)]);
    expect(await session(p)).toEqual(before);
  });

  test("D13: a button from an earlier question of the open check says it is out of date and shows the current question", async () => {
    const { p, before } = await midCheck();
    const run = before?.screening?.run ?? "";
    h.tg.clearCalls();
    await h.handle(p.callback(`v1:scr:a:${run}:0:LV`));
    expect((await session(p))?.screening).toEqual(before?.screening);
    expect(h.tg.calls.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(tt()("screening.stale_step"));
    expect(h.screen(p.profile.id)).toContain(tt()("screening.q.pay_kept.text"));
  });
});

test("the urgent follow-up is asked once per check: after a 'yes, now', later danger answers go straight on", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  const urgentIds = track("situation").questions.filter((q) => q.kind === "yes_no" && q.urgent).map((q) => q.id);
  await walk(p, { country: "UA", age: "18_24", ...Object.fromEntries(urgentIds.map((id) => [id, "yes"])) }, { urgent: "yes" });
  const asked = h.tg.calls.filter((c) => c.method === "editMessageText" && String(c.payload.text).includes(t("screening.urgent_question")));
  expect(asked).toHaveLength(1);
});

test("a relationship offer's result points to the topic on grooming, not job offers", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "offer");
  await walk(p, { country: "UA", age: "18_24", offer_type: "relationship" });
  expect(h.buttons(p.profile.id)).toContain(t("topics.grooming.title"));
  expect(h.buttons(p.profile.id)).not.toContain(t("topics.job_offers.title"));
});

test("every question can stop the check (and a paused check can be stopped and started afresh)", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  for (const o of ["UA", "18_24"]) await h.handle(p.press(label(t, o)));
  await h.handle(p.press(t("screening.pause")));
  await h.handle(p.press(t("button.continue_check")));
  await h.handle(p.press(t("screening.stop")));
  expect(h.buttons(p.profile.id)).toContain(t("button.check"));
  expect((await session(p))?.screening).toBeUndefined();
});
