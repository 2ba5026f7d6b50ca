import { harness, profile, type Harness } from "./helpers/harness";
import { Person, plain } from "../src/cli/local-telegram";
import { MemoryStore } from "../src/store/memory";
import type { KeyValueStore } from "../src/store/kv";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});

describe("start and language", () => {
  test("a Telegram app in a supported language gets the welcome and the menu in that language", async () => {
    const p = h.person(profile("ru-RU"));
    await h.handle(p.text("/start"));
    const ru = h.deps.i18n.getFixedT("ru");
    expect(h.screen(p.profile.id)).toContain(ru("menu.title"));
    expect(h.buttons(p.profile.id)).toEqual([
      ru("button.topics"), ru("button.check"), ru("button.help"), ru("button.talk"), ru("button.language"), ru("button.quick_exit"),
    ]);
  });

  test("an unsupported or missing language_code gets the picker naming each language in itself", async () => {
    const p = h.person(profile("de"));
    await h.handle(p.text("/start"));
    expect(h.buttons(p.profile.id)).toEqual(["Azərbaycanca", "Қазақша", "Latviešu", "Українська", "Русский", "English", expect.any(String)]);
    await h.handle(p.press("Қазақша"));
    expect(h.screen(p.profile.id)).toContain(h.deps.i18n.getFixedT("kk")("menu.title"));
  });

  test("the welcome says in two lines what the bot is, that it is anonymous, and that quick exit is there", async () => {
    const p = h.person();
    await h.handle(p.text("/start"));
    const welcome = h.screen(p.profile.id).split("\n\n")[0] ?? "";
    expect(welcome.split("\n")).toHaveLength(2);
    expect(welcome).toMatch(/anonymous/);
    expect(welcome).toMatch(/Quick exit/);
  });

  test.each([
    ["riga2026-lv", "lv", "riga2026"],
    ["lv", "lv", "none"],
    ["summer_uk", "uk", "summer"],
    ["school", "en", "school"],
  ])("deep link %s opens in %s and counts campaign %s", async (payload, lang, campaign) => {
    const p = h.person(profile("en"));
    await h.handle(p.text(`/start ${payload}`));
    expect(h.screen(p.profile.id)).toContain(h.deps.i18n.getFixedT(lang)("menu.title"));
    const day = new Date().toISOString().slice(0, 10);
    expect(await h.deps.counters.day(day)).toMatchObject({ [`start|campaign=${campaign}|lang=${lang}`]: 1 });
  });

  test("an unknown or malformed payload is ignored and never echoed", async () => {
    const p = h.person(profile("en"));
    const evil = "<b>evil</b>_xx";
    await h.handle(p.text(`/start ${evil}`));
    await h.handle(p.text("/start unknowncampaign-lv"));
    const shown = h.tg.visible(p.profile.id).filter((m) => m.from === "bot").map((m) => m.text).join("\n");
    expect(shown).not.toMatch(/evil|unknowncampaign/);
    expect(h.screen(p.profile.id)).toContain(h.deps.i18n.getFixedT("lv")("menu.title"));
    const counters = await h.deps.counters.day(new Date().toISOString().slice(0, 10));
    expect(Object.keys(counters).join()).not.toMatch(/unknowncampaign|evil/);
  });

  test("/language switches the language at any time", async () => {
    const p = h.person();
    await h.handle(p.text("/start"));
    await h.handle(p.text("/language"));
    await h.handle(p.press("Latviešu"));
    expect(h.screen(p.profile.id)).toContain(h.deps.i18n.getFixedT("lv")("language.changed"));
    await h.handle(p.text("/menu"));
    expect(h.screen(p.profile.id)).toContain(h.deps.i18n.getFixedT("lv")("menu.title"));
  });
});

describe("get help now", () => {
  test("shows each country's lines with who runs them, and says plainly when a line is the police", async () => {
    const p = h.person();
    const t = h.deps.i18n.getFixedT("en");
    await h.handle(p.text("/start"));
    await h.handle(p.press(t("button.help")));
    await h.handle(p.press(t("country.UA")));
    const page = h.screen(p.profile.id);
    expect(page).toContain("1547");
    expect(page).toContain("102");
    expect(page).toContain(`· ${t("directory.operator.police")}`);
    expect(page).toContain(t("directory.operator.government"));
    // Azerbaijan's only sourced specialised line is the police's: shown as the police, with an honest note.
    await h.handle(p.press(t("directory.other_country")));
    await h.handle(p.press(t("country.AZ")));
    // No current page shows the police's 152, so it is not shipped; the page says so, and names the police.
    expect(h.screen(p.profile.id)).not.toContain("152");
    expect(h.screen(p.profile.id)).toContain(plain(t("directory.gap.AZ")));
    expect(h.screen(p.profile.id)).toContain("102");
  });

  test("a country with more lines than fit a phone gets pages, each under 700 characters", async () => {
    const p = h.person();
    const t = h.deps.i18n.getFixedT("en");
    await h.handle(p.text("/start"));
    await h.handle(p.press(t("button.help")));
    await h.handle(p.press(t("country.LV")));
    const pages = [h.tg.lastBotMessage(p.profile.id)!.text];
    while (h.buttons(p.profile.id).includes(t("button.next"))) {
      await h.handle(p.press(t("button.next")));
      pages.push(h.tg.lastBotMessage(p.profile.id)!.text);
    }
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(700);
    expect(pages.join("\n")).toContain("+371 26337711");
  });

  test("remembers the country: the next time it opens straight on it", async () => {
    const p = h.person();
    const t = h.deps.i18n.getFixedT("en");
    await h.handle(p.text("/start"));
    await h.handle(p.press(t("button.help")));
    await h.handle(p.press(t("country.LV")));
    await h.handle(p.text("/menu"));
    await h.handle(p.press(t("button.help")));
    expect(h.screen(p.profile.id)).toContain("+371 28612120");
  });

  test("talk to a person is an honest screen with the lines, never a dead end", async () => {
    const p = h.person();
    const t = h.deps.i18n.getFixedT("en");
    await h.handle(p.text("/start"));
    await h.handle(p.press(t("button.talk")));
    expect(h.screen(p.profile.id)).toContain(plain(t("talk.not_yet")).split("\n")[0]);
    expect(h.buttons(p.profile.id)).toContain(t("button.help"));
  });
});

describe("urgent words", () => {
  test("ordinary words do not raise an alarm", async () => {
    const p = h.person(profile("az"));
    await h.handle(p.text("sosial şəbəkədə bir elan gördüm"));
    expect(h.tg.lastBotMessage(p.profile.id)?.text).not.toContain(h.deps.i18n.getFixedT("az")("urgent.ack.danger"));
  });
});

describe("anything else gets a clear answer", () => {
  const cases: [string, (p: Person) => import("grammy/types").Update, string][] = [
    ["a sticker", (p) => p.sticker(), "fallback.media"],
    ["a photo", (p) => p.photo(), "fallback.media"],
    ["a voice message", (p) => p.voice(), "fallback.media"],
    ["a file", (p) => p.document(), "fallback.media"],
    ["a location", (p) => p.location(), "fallback.media"],
    ["a 10,000-character text", (p) => p.text("a".repeat(10_000)), "fallback.too_long"],
    ["a blank text", (p) => p.text("   "), "fallback.what_i_can_do"],
    ["an unknown command", (p) => p.text("/frobnicate"), "fallback.unknown_command"],
    ["an edited message", (p) => p.edit(1, "changed"), "fallback.edited"],
  ];
  test.each(cases)("%s", async (_name, update, key) => {
    const p = h.person();
    await h.handle(update(p));
    const t = h.deps.i18n.getFixedT("en");
    expect(h.screen(p.profile.id)).toContain(t(key));
    expect(h.buttons(p.profile.id)).toContain(t("button.quick_exit"));
  });

  test.each(["v1:nope", "garbage", "v1:topic:rights:9", "v1:dir:XX", "v2:menu", "v1:lang:de", "v1:constructor", "v1:__proto__", "v1:scr:toString", "v1:scr"])(
    "forged or stale button %j gets a friendly notice and the menu",
    async (data) => {
      const p = h.person();
      await h.handle(p.text("/start"));
      h.tg.clearCalls();
      await h.handle(p.callback(data));
      const t = h.deps.i18n.getFixedT("en");
      const answers = h.tg.calls.filter((c) => c.method === "answerCallbackQuery");
      expect(answers.map((a) => a.payload.text)).toEqual([t("fallback.stale_button")]);
      expect(h.screen(p.profile.id)).toContain(t("menu.title"));
    },
  );

  test("every button press is answered exactly once (no endless spinner)", async () => {
    const p = h.person();
    await h.handle(p.text("/start"));
    h.tg.clearCalls();
    await h.handle(p.press(h.deps.i18n.getFixedT("en")("button.topics")));
    expect(h.tg.methods().filter((m) => m === "answerCallbackQuery")).toHaveLength(1);
  });

  test("groups and channels get nothing, and the bot leaves", async () => {
    const update = {
      update_id: 1,
      message: { message_id: 1, date: 0, chat: { id: -100123, type: "supergroup", title: "g" }, from: { id: 5, is_bot: false, first_name: "X" }, text: "/start" },
    };
    await h.handle(update as never);
    expect(h.tg.methods()).toEqual(["leaveChat"]);
  });
});

describe("nothing throws out of a handler", () => {
  test("a failing Telegram call gets an apology with an error code and the help numbers; the log has the code", async () => {
    const p = h.person();
    h.tg.fail("sendMessage", 400, "Bad Request: something odd");
    await expect(h.handle(p.text("/start"))).resolves.toBeUndefined();
    const reply = h.screen(p.profile.id);
    const code = /\(\w+ ([0-9a-f]{6})\)/.exec(reply)?.[1] ?? /([0-9a-f]{6})/.exec(reply)?.[1];
    expect(reply).toContain("112");
    expect(code).toBeDefined();
    expect(h.logs.join("")).toContain(`"code":"${code}"`);
  });

  test("when the store is down the bot still answers what needs no state", async () => {
    const broken: KeyValueStore = Object.assign(new MemoryStore(), {
      get: () => Promise.reject(new Error("ECONNREFUSED")),
      set: () => Promise.reject(new Error("ECONNREFUSED")),
      incr: () => Promise.reject(new Error("ECONNREFUSED")),
    });
    const down = await harness({ kv: broken });
    const p = down.person(profile("uk"));
    const t = down.deps.i18n.getFixedT("uk");
    await down.handle(p.text("/start"));
    expect(down.screen(p.profile.id)).toContain(t("menu.title"));
    await down.handle(p.press(t("button.help")));
    await down.handle(p.press(t("country.UA")));
    expect(down.screen(p.profile.id)).toContain("1547");
    await down.handle(p.press(t("button.menu")));
    await down.handle(p.press(t("button.check")));
    expect(down.tg.lastBotMessage(p.profile.id)?.text).toContain(t("state_unavailable"));
    expect(down.logs.join("")).toContain("store_unavailable");
  });
});

describe("newcomer findings", () => {
  test("someone in another country in danger gets the international lines, and where 112 works", async () => {
    const p = h.person();
    const t = h.deps.i18n.getFixedT("en");
    await h.handle(p.text("/start"));
    await h.handle(p.press(t("button.help")));
    await h.handle(p.press(t("country.INT")));
    await h.handle(p.text("i need help"));
    const panel = h.screen(p.profile.id);
    // Lines for adults, each saying where it works; no children's line of another country.
    expect(panel).toContain("08000 121 700");
    expect(panel).toContain(plain(t("directory.in.GB")));
    expect(panel).toContain(plain(t("directory.in.US")));
    expect(panel).not.toContain("8-800-2000-122");
    expect(h.tg.lastBotMessage(p.profile.id)?.text).toContain(t("panel.title_anywhere"));
  });

  test("after /delete the language is asked again rather than guessed", async () => {
    const p = h.person(profile());
    await h.handle(p.text("/start"));
    await h.handle(p.press("Русский"));
    await h.handle(p.text("/delete"));
    await h.handle(p.press(h.deps.i18n.getFixedT("ru")("delete.state_only")));
    await h.handle(p.text("привет"));
    expect(h.buttons(p.profile.id)).toEqual(expect.arrayContaining(["Azərbaycanca", "Русский", "English"]));
  });

  test("the language picker opened later has a way back to the menu", async () => {
    const p = h.person();
    await h.handle(p.text("/start"));
    await h.handle(p.text("/language"));
    expect(h.buttons(p.profile.id)).toContain(h.deps.i18n.getFixedT("en")("button.menu"));
  });

});
