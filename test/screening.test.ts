import { LANGUAGES, type Lang } from "../src/i18n/languages";
import type { Person } from "../src/cli/local-telegram";
import { harness, profile, type Harness } from "./helpers/harness";
import { htmlProblems } from "./helpers/html";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});

const tt = (lang: Lang = "en") => h.deps.i18n.getFixedT(lang);
/** The current screen as sent (HTML), for comparing with locale strings that carry markup. */
const raw = (p: Person) => h.tg.lastBotMessage(p.profile.id)?.text ?? "";
const session = (p: Person) => h.deps.sessions.read(h.deps.keys.pseudonym("chat", p.profile.id));
const today = () => h.deps.counters.today();

/** Opens the check from the menu and chooses a track. */
async function begin(p: Person, track: "situation" | "offer" | "other", lang: Lang = "en") {
  const t = tt(lang);
  await h.handle(p.text("/start"));
  await h.handle(p.press(t("button.check")));
  expect(h.screen(p.profile.id)).toContain(t("screening.intro").split("\n")[0]?.replace(/<\/?b>/g, ""));
  await h.handle(p.press(t("screening.start")));
  await h.handle(p.press(t(`screening.track.${track}`)));
}

/** Answers the current question with the button labelled by `key` (an answer or an option). */
async function answer(p: Person, value: string, lang: Lang = "en") {
  const t = tt(lang);
  const label = ["yes", "no", "unsure", "skip"].includes(value) ? t(`screening.answer.${value}`) : t(`screening.option.${value}`);
  await h.handle(p.press(label));
}

async function answerAll(p: Person, answers: string[], lang: Lang = "en") {
  for (const a of answers) {
    const t = tt(lang);
    // A pause offer comes by itself before the sensitive part: continue.
    if (h.screen(p.profile.id).includes(t("screening.pause_offer").split("\n")[0] ?? "§")) await h.handle(p.press(t("screening.continue")));
    await answer(p, a, lang);
  }
}

const NO12 = Array(12).fill("no");

describe.each(LANGUAGES)("in %s", (lang) => {
  test("the current-situation check, walked end to end, gives a result and keeps no raw answer", async () => {
    const t = tt(lang);
    const p = h.person(profile(lang));
    await begin(p, "situation", lang);
    expect(h.screen(p.profile.id)).toContain(t("screening.q.country.text"));
    await answerAll(p, ["UA", "18_24", "yes", "unsure", ...Array(4).fill("no"), "yes", ...Array(5).fill("no")], lang);
    const result = h.tg.lastBotMessage(p.profile.id)?.text ?? "";
    expect(htmlProblems(result)).toEqual([]);
    expect(result).toContain(t("screening.result.thanks"));
    expect(result).toContain(t("screening.result.title.situation_3")); // A7 (passport) is KEY
    expect(result).toContain(t("screening.q.A1.sign"));
    expect(result).toContain(t("screening.q.A7.sign"));
    expect(result).toContain(t("screening.q.A2.sign"));
    expect(result).toContain("1547"); // help for the country chosen in the check
    const s = await session(p);
    expect(s?.screening).toBeUndefined();
    expect(s?.summary).toEqual({ track: "situation", tier: 3, signs: ["A1", "A7", "A2"], skippedMany: false });
    expect(await h.deps.counters.day(today())).toMatchObject({ [`screening_result|lang=${lang}|tier=3|track=situation`]: 1 });
  });

  test("the offer check, walked end to end", async () => {
    const t = tt(lang);
    const p = h.person(profile(lang));
    await begin(p, "offer", lang);
    await answerAll(p, ["LV", "25plus", "job_abroad", "yes", "yes", ...Array(9).fill("no")], lang);
    const result = h.tg.lastBotMessage(p.profile.id)?.text ?? "";
    expect(result).toContain(t("screening.result.title.offer_2"));
    expect(result).toContain(t("screening.result.next.offer_2"));
    expect(result).toContain("+371 28612120");
  });
});

test("all 'no' gives 'no strong signs', never a label", async () => {
  const p = h.person();
  await begin(p, "situation");
  await answerAll(p, ["KZ", "18_24", ...NO12]);
  const result = h.screen(p.profile.id);
  expect(result).toContain(tt()("screening.result.no_signs"));
  expect(result).not.toMatch(/victim|trafficked/i);
});

test("skipping more than half is said honestly instead of 'no signs'", async () => {
  const p = h.person();
  await begin(p, "situation");
  await answerAll(p, ["prefer_not", "prefer_not", ...Array(7).fill("skip"), ...Array(5).fill("no")]);
  const result = h.screen(p.profile.id);
  expect(result).toContain(tt()("screening.result.many_skipped"));
  expect(result).not.toContain(tt()("screening.result.no_signs"));
});

test("back changes the previous answer", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await answerAll(p, ["UA", "18_24", "yes"]);
  await h.handle(p.press(t("screening.back")));
  expect(h.screen(p.profile.id)).toContain(t("screening.q.A1.text"));
  await answerAll(p, ["no", ...Array(11).fill("no")]);
  expect(raw(p)).toContain(t("screening.result.title.situation_1"));
});

test("a pause is offered by itself before the sensitive part; a paused check resumes from the menu", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await answerAll(p, ["UA", "18_24", ...Array(8).fill("no")]);
  expect(h.screen(p.profile.id)).toContain(t("screening.pause_offer").split("\n")[0]);
  await h.handle(p.press(t("screening.pause")));
  expect(h.screen(p.profile.id)).toContain(t("screening.paused", { count: 30 }).replace(/<\/?b>/g, "").slice(0, 20));
  expect(h.buttons(p.profile.id)).toContain(t("button.continue_check"));
  await h.handle(p.press(t("button.continue_check")));
  expect(h.screen(p.profile.id)).toContain(t("screening.q.A9.text"));
  expect(h.screen(p.profile.id)).toContain(t("screening.progress", { n: 11, total: 14 }));
});

test("pause is available on every question too", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "offer");
  await answerAll(p, ["UA", "18_24"]);
  await h.handle(p.press(t("screening.pause")));
  expect((await session(p))?.screening?.phase).toBe("paused");
  await h.handle(p.press(t("button.continue_check")));
  expect(h.screen(p.profile.id)).toContain(t("screening.q.offer_type.text"));
});

test("an urgent 'yes' interrupts with the emergency panel, then asks to continue or stop", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await answerAll(p, ["UA", "18_24", ...Array(8).fill("no"), "yes"]); // A9
  expect(h.screen(p.profile.id)).toContain(t("screening.urgent_question"));
  await answer(p, "yes");
  const texts = h.tg.visible(p.profile.id).filter((m) => m.from === "bot").map((m) => m.text);
  expect(texts.some((x) => x.includes("112") && x.includes("1547"))).toBe(true);
  expect(h.screen(p.profile.id)).toContain(t("screening.urgent_choice"));
  await h.handle(p.press(t("screening.continue")));
  expect(h.screen(p.profile.id)).toContain(t("screening.q.A10.text"));
});

test("an urgent 'no' goes straight on; 'stop' ends the check and erases its answers", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await answerAll(p, ["UA", "18_24", ...Array(8).fill("no"), "yes", "no"]);
  expect(h.screen(p.profile.id)).toContain(t("screening.q.A10.text"));
  await answerAll(p, ["yes", "yes"]);
  await h.handle(p.press(t("screening.stop")));
  expect(h.screen(p.profile.id)).toContain(t("screening.stopped"));
  expect((await session(p))?.screening).toBeUndefined();
  expect(await h.deps.counters.day(today())).toMatchObject({ "screening_stopped|question=A10|reason=stop|track=situation": 1 });
});

test("child rules: under 18, a sexual-exchange 'yes' is serious and child lines are added", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await answerAll(p, ["LV", "14_17", ...Array(11).fill("no"), "yes"]);
  const result = raw(p);
  expect(result).toContain(t("screening.result.title.situation_3"));
  expect(result).toContain("116111");
});

test("'I've already accepted and I'm there now' switches to the current-situation questions", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "offer");
  await answerAll(p, ["UA", "18_24", "already_there"]);
  expect(h.screen(p.profile.id)).toContain(t("screening.switched"));
  expect(h.screen(p.profile.id)).toContain(t("screening.q.A1.text"));
  expect((await session(p))?.screening).toMatchObject({ track: "situation", step: 2, answers: { country: "UA", age: "18_24" } });
});

test("worried about someone else: how to help a friend, and no scoring", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "other");
  expect(h.screen(p.profile.id)).toContain(t("screening.other_person"));
  expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(t("topics.help_friend.p1"));
  expect((await session(p))?.screening).toBeUndefined();
});

test("quick exit mid-check leaves nothing of the check", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await answerAll(p, ["UA", "18_24", "yes", "yes"]);
  await h.handle(p.press(t("button.quick_exit")));
  expect(await session(p)).toBeUndefined();
  expect(h.tg.visible(p.profile.id).map((m) => m.text)).toEqual([t("exit.neutral")]);
});

describe("forged or stale buttons are refused kindly and leave the state intact", () => {
  async function midCheck() {
    const p = h.person();
    await begin(p, "situation");
    await answerAll(p, ["UA", "18_24", "yes"]);
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
  ])("%s", async (_name, data, key) => {
    const { p, before } = await midCheck();
    h.tg.clearCalls();
    await h.handle(p.callback(data(before?.screening?.run ?? "")));
    expect(h.tg.methods()).toContain("answerCallbackQuery");
    const answers = h.tg.calls.filter((c) => c.method === "answerCallbackQuery");
    expect(answers.map((a) => a.payload.text)).toEqual([tt()(key)]);
    expect(await session(p)).toEqual(before);
  });

  test("a button from an earlier message of the same run", async () => {
    const { p, before } = await midCheck();
    const run = before?.screening?.run ?? "";
    h.tg.clearCalls();
    await h.handle(p.callback(`v1:scr:a:${run}:0:LV`));
    expect((await session(p))?.screening).toEqual(before?.screening);
    // Not "no longer open": the check is open, the button is out of date, and here is the current question.
    expect(h.tg.calls.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(tt()("screening.stale_step"));
    expect(h.screen(p.profile.id)).toContain(tt()("screening.q.A2.text"));
  });
});

test("the urgent follow-up is asked once per check: after a 'yes, now', later danger answers go straight on", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await answerAll(p, ["UA", "18_24", ...Array(8).fill("no"), "yes"]); // A9
  await answer(p, "yes");
  await h.handle(p.press(t("screening.continue")));
  await answer(p, "yes"); // A10, also a danger question
  expect(h.screen(p.profile.id)).toContain(t("screening.q.A11.text"));
});

test("stopping the check still shows the help numbers", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await answerAll(p, ["LV", "18_24", ...Array(8).fill("no")]);
  await h.handle(p.press(t("screening.stop")));
  expect(h.screen(p.profile.id)).toContain(t("screening.stopped"));
  expect(h.screen(p.profile.id)).toContain("+371 28612120");
});

test("a relationship offer's result points to the topic on grooming, not job offers", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "offer");
  await answerAll(p, ["UA", "18_24", "relationship", ...Array(11).fill("no")]);
  expect(h.buttons(p.profile.id)).toContain(t("topics.grooming.title"));
  expect(h.buttons(p.profile.id)).not.toContain(t("topics.job_offers.title"));
});

test("every question can stop the check (and a paused check can be stopped and started afresh)", async () => {
  const t = tt();
  const p = h.person();
  await begin(p, "situation");
  await answerAll(p, ["UA", "18_24"]);
  await h.handle(p.press(t("screening.pause")));
  await h.handle(p.press(t("button.continue_check")));
  await h.handle(p.press(t("screening.stop")));
  expect(h.buttons(p.profile.id)).toContain(t("button.check"));
  expect((await session(p))?.screening).toBeUndefined();
});

test("worried about someone else: the help directory is one press away from the first screen", async () => {
  const p = h.person();
  await begin(p, "other");
  expect(h.buttons(p.profile.id)).toContain(tt()("button.help"));
});
