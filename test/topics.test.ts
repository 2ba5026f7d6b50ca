import { LANGUAGES } from "../src/i18n/languages";
import { harness, profile, type Harness } from "./helpers/harness";
import { htmlProblems } from "./helpers/html";

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

describe.each(LANGUAGES)("every topic screen in %s", (lang) => {
  test("renders, fits Telegram, has its navigation, and ends with the ways on", async () => {
    const t = h.deps.i18n.getFixedT(lang);
    const p = h.person(profile(lang));
    await h.handle(p.text("/start"));
    await h.handle(p.press(t("button.topics")));
    for (const topic of h.deps.content.topics.topics) {
      if (topic !== h.deps.content.topics.topics[0]) await h.handle(p.press(t("button.all_topics")));
      await h.handle(p.press(t(`topics.${topic.id}.title`)));
      for (let page = 1; page <= topic.screens; page++) {
        const message = h.tg.lastBotMessage(p.profile.id);
        const where = `${lang} ${topic.id} p${page}`;
        expect({ where, problems: htmlProblems(message?.text ?? "") }).toEqual({ where, problems: [] });
        expect(message?.text).toContain(t(`topics.${topic.id}.p${page}`));
        expect(message?.parse_mode).toBe("HTML");
        const labels = h.buttons(p.profile.id);
        expect(labels).toEqual(expect.arrayContaining([t("button.back"), t("button.menu"), t("button.quick_exit")]));
        if (page < topic.screens) {
          expect(labels).toContain(t("button.next"));
          await h.handle(p.press(t("button.next")));
        } else {
          expect(labels).not.toContain(t("button.next"));
          expect(labels).toEqual(expect.arrayContaining([t("button.check"), t("button.help"), t("button.talk")]));
          if (topic.save) {
            await h.handle(p.press(t("button.save")));
            const note = h.tg.lastBotMessage(p.profile.id)?.text ?? "";
            expect(note).toContain(t(`topics.${topic.id}.save`));
            expect(htmlProblems(note)).toEqual([]);
          }
        }
      }
    }
  });
});

test("back on a topic's first screen returns to the list; back elsewhere goes one screen back", async () => {
  const t = h.deps.i18n.getFixedT("en");
  const p = h.person();
  await h.handle(p.text("/start"));
  await h.handle(p.press(t("button.topics")));
  await h.handle(p.press(t("topics.debt.title")));
  await h.handle(p.press(t("button.next")));
  await h.handle(p.press(t("button.back")));
  expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(t("topics.debt.p1"));
  await h.handle(p.press(t("button.back")));
  expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(t("topics.menu_title"));
});

test("the last screen's self-check button opens the check", async () => {
  const t = h.deps.i18n.getFixedT("en");
  const p = h.person();
  await h.handle(p.text("/start"));
  await h.handle(p.callback("v1:topic:forced_marriage:4"));
  await h.handle(p.press(t("button.check")));
  expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(t("screening.intro"));
});
