import { fold, fromWrongLayout } from "../src/features/urgent/fold";
import { UrgentMatcher, parsePhrase } from "../src/features/urgent/matcher";
import { harness, profile, type Harness } from "./helpers/harness";

describe("folding: both sides meet however the message is typed", () => {
  test.each([
    ["Azerbaijani capitals with İ (JavaScript lower-cases it with a combining dot)", "KÖMƏK EDİN", "kömək edin"],
    ["Azerbaijani without its letters", "komek edin", "kömək edin"],
    ["Latvian without diacritics", "palidziet", "palīdziet"],
    ["Latvian in the old style", "paliidziet", "palīdziet"],
    ["Kazakh with plain Cyrillic letters", "менин паспортымды алып койды", "менің паспортымды алып қойды"],
    ["Kazakh in Latin letters", "meniñ pasportymdy alyp qoidy", "менің паспортымды алып қойды"],
    ["Ukrainian with a Latin i", "мене бiльше нiхто", "мене більше ніхто"],
    ["Ukrainian with г for ґ", "гвалтують", "ґвалтують"],
    ["Russian with е for ё", "мне ее не отдают", "мне её не отдают"],
    ["Russian in Latin letters", "menya derzhat", "меня держат"],
    ["Russian in Latin letters, another way", "menja der'zhat", "меня держат"],
    ["Russian with 4 for ч", "ne xo4u", "не хочу"],
    ["a Latin a and p inside a Cyrillic word", "пaспopт", "паспорт"],
    ["apostrophes of any kind", "б’ють", "б'ють"],
    ["a letter typed three times", "pleeeease", "please"],
  ])("%s: %j", (_what, typed, written) => {
    expect(fold(typed)).toBe(fold(written));
  });

  test("a message typed on the English layout is also read as Cyrillic", () => {
    expect(fold(fromWrongLayout("vtyz ,m.n")!)).toBe(fold("меня бьют"));
    expect(fold(fromWrongLayout("ру ащксув ьу")!)).toBe("he forced me");
    expect(fold(fromWrongLayout("ру ащксув ьу sorry wrong keyboard")!)).toMatch(/^he forced me /);
    expect(fromWrongLayout("🙂 !!")).toBeUndefined();
  });
});

describe("matching: phrases as people bend them", () => {
  const m = new UrgentMatcher({
    en: { danger: ["took* (my|our) (passport*|document*)", "(he|she|they|boss) (beat*|hit*) (me|us)"], self_harm: ["kill* myself"] },
    ru: { danger: ["забрал* паспорт*", "(меня|нас) (бьют|избива*)"], sexual_violence: ["изнасилова*"] },
  });
  test.each([
    ["a word inserted", "they took ALL my documents", "danger"],
    ["two words inserted", "they took away almost all our passports", "danger"],
    ["another order", "паспорт забрали", "danger"],
    ["another person", "my boss hits me", "danger"],
    ["us instead of me", "they beat us", "danger"],
    ["a stem with another ending", "меня избивали", "danger"],
    ["translit", "menya b'yut", "danger"],
    ["wrong layout", "vtyz ,m.n", "danger"],
    ["a single unambiguous word", "МЕНЯ ИЗНАСИЛОВАЛИ", "sexual_violence"],
    ["self-harm", "i want to kill myself", "self_harm"],
  ])("%s: %j", (_what, text, category) => {
    expect(m.find(text).map((x) => x.category)).toContain(category);
  });
  test.each([
    ["words too far apart", "they took the bus and then, after a long ride, my passport was checked"],
    ["one word of a phrase", "my passport expires soon"],
    ["an idiom", "how do I kill time at the airport"],
    ["nothing at all", ""],
  ])("not: %s", (_what, text) => {
    expect(m.find(text)).toEqual([]);
  });

  test("a stem too short to mean anything is refused when the lists load", () => {
    expect(() => parsePhrase("бь* меня")).toThrow(/too short/);
    expect(() => parsePhrase("two-words-in-one|x")).toThrow(/one word/);
  });

  test("the cost of a message does not depend on how many phrases there are", () => {
    // Only phrases anchored on a word the message contains are looked at: 10 000 unrelated phrases change nothing.
    const many = new UrgentMatcher({
      en: { danger: [...Array.from({ length: 10_000 }, (_, i) => `zd${i}x* kl${i}m*`), "took* passport*"] },
    });
    expect(many.size).toBeGreaterThan(9_900);
    expect(many.find("they took my passport").map((x) => x.phrase)).toEqual(["took* passport*"]);
  });
});

describe("through the bot: each kind has its own answer, on any screen, and leaves a check as it was", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });

  test.each([
    ["en", "I was raped", "sexual_violence"],
    ["en", "i want to kill myself", "self_harm"],
    ["en", "my employer keeps my documents", "danger"],
    ["ru", "меня продали", "danger"],
  ])("in %s, %j gets the %s answer: one warm line, then the help", async (lang, text, category) => {
    const p = h.person(profile(lang));
    await h.handle(p.text("/start"));
    await h.handle(p.text(text));
    const t = h.deps.i18n.getFixedT(lang);
    const answer = h.tg.lastBotMessage(p.profile.id)!;
    expect(answer.text.startsWith(t(`urgent.ack.${category}`))).toBe(true);
    expect(answer.keyboard?.flat().map((b) => b.text)).toContain(t("button.quick_exit"));
    expect(await h.deps.counters.day(h.deps.counters.today())).toMatchObject({ [`urgent_words|category=${category}|lang=${lang}`]: 1 });
    expect(JSON.stringify(await h.deps.counters.day(h.deps.counters.today()))).not.toContain(text);
  });

  test("without a country, the answer offers the countries, and a press shows the same help for that country", async () => {
    const p = h.person(profile("en"));
    const t = h.deps.i18n.getFixedT("en");
    await h.handle(p.text("they took my passport and wont let me leave"));
    expect(h.buttons(p.profile.id)).toContain(t("country.UA"));
    await h.handle(p.press(t("country.UA")));
    const panel = h.screen(p.profile.id);
    expect(panel).toContain("527");
    expect(panel).toContain(t("directory.in.UA"));
  });

  test("a check in progress is left as it was", async () => {
    const p = h.person(profile("en"));
    const t = h.deps.i18n.getFixedT("en");
    await h.handle(p.text("/start"));
    await h.handle(p.press(t("button.check")));
    await h.handle(p.press(t("screening.start")));
    await h.handle(p.press(t("screening.track.situation")));
    await h.handle(p.press(t("screening.option.LV")));
    const before = (await h.deps.sessions.read(h.deps.keys.pseudonym("chat", p.profile.id)))?.screening;
    await h.handle(p.text("i want to die"));
    const after = (await h.deps.sessions.read(h.deps.keys.pseudonym("chat", p.profile.id)))?.screening;
    expect(after).toEqual(before);
    expect(h.screen(p.profile.id)).toContain(t("directory.in.LV"));
  });
});
