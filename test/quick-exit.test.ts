import { plain } from "../src/cli/local-telegram";
import { harness, type Harness } from "./helpers/harness";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
const t = (key: string) => h.deps.i18n.getFixedT("en")(key);

async function converse(h: Harness) {
  const p = h.person();
  await h.handle(p.text("/start"));
  await h.handle(p.press(t("button.topics")));
  await h.handle(p.press(t("topics.documents.title")));
  await h.handle(p.text("is it normal that my boss keeps my passport?"));
  await h.handle(p.press(t("button.help")));
  await h.handle(p.press(t("country.LV")));
  return p;
}

test.each(["button", "/exit"])("quick exit (%s) deletes both sides of the chat and erases all state", async (how) => {
  const p = await converse(h);
  const chat = p.profile.id;
  expect(h.tg.visible(chat).length).toBeGreaterThan(3);
  expect(await h.deps.sessions.read(h.deps.keys.pseudonym("chat", chat))).toBeDefined();

  await h.handle(how === "button" ? p.press(t("button.quick_exit")) : p.text("/exit"));

  const left = h.tg.visible(chat);
  expect(left.map((m) => m.text)).toEqual([t("exit.neutral")]);
  expect(left[0]?.keyboard).toBeUndefined();
  expect(await h.deps.sessions.read(h.deps.keys.pseudonym("chat", chat))).toBeUndefined();
});

test("without the neutral line configured, nothing at all is left", async () => {
  h = await harness({ quickExitLine: false });
  const p = await converse(h);
  await h.handle(p.press(t("button.quick_exit")));
  expect(h.tg.visible(p.profile.id)).toEqual([]);
});

test("quick exit is on every screen", async () => {
  const p = h.person();
  await h.handle(p.text("/start"));
  const screens = [t("button.topics"), t("topics.job_offers.title"), t("button.next"), t("button.menu"), t("button.check"), t("screening.start")];
  for (const label of screens) {
    await h.handle(p.press(label));
    expect(h.buttons(p.profile.id)).toContain(t("button.quick_exit"));
  }
});

test("a long conversation is deleted in batches of at most 100", async () => {
  const p = h.person();
  for (let i = 0; i < 130; i++) await h.handle(p.text(`message ${i}`));
  await h.handle(p.text("/exit"));
  const batches = h.tg.calls.filter((c) => c.method === "deleteMessages").map((c) => (c.payload.message_ids as number[]).length);
  expect(Math.max(...batches)).toBeLessThanOrEqual(100);
  expect(batches.reduce((a, b) => a + b, 0)).toBe(261); // 131 from the person, 130 answers
  expect(h.tg.visible(p.profile.id).map((m) => m.text)).toEqual([t("exit.neutral")]);
});

describe("/delete offers an honest choice", () => {
  test("erase only what the bot keeps: the state and the list of messages go, the messages stay, and the bot says it can no longer delete them", async () => {
    const p = await converse(h);
    await h.handle(p.text("/delete"));
    expect(h.buttons(p.profile.id)).toEqual([t("delete.all"), t("delete.state_only"), t("button.menu"), t("button.quick_exit")]);
    await h.handle(p.press(t("delete.state_only")));
    expect(await h.deps.sessions.read(h.deps.keys.pseudonym("chat", p.profile.id))).toBeUndefined();
    expect(h.screen(p.profile.id)).toBe(plain(t("delete.done_state")));
    const before = h.tg.visible(p.profile.id).map((m) => m.message_id);
    // What the bot said is true: a later quick exit deletes only what came after.
    await h.handle(p.text("one more"));
    await h.handle(p.text("/exit"));
    const after = h.tg.visible(p.profile.id);
    expect(after.map((m) => m.message_id).slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((m) => m.text)).toEqual([t("exit.neutral")]);
  });

  test("erase it and delete the messages: /start, a few messages, /delete, then nothing of the conversation is left", async () => {
    const p = await converse(h);
    await h.handle(p.text("/delete"));
    await h.handle(p.press(t("delete.all")));
    expect(h.tg.visible(p.profile.id).map((m) => m.text)).toEqual([t("exit.neutral")]);
    expect(await h.deps.sessions.read(h.deps.keys.pseudonym("chat", p.profile.id))).toBeUndefined();
  });
});

test("a person who blocks the bot leaves nothing behind", async () => {
  const p = await converse(h);
  await h.handle(p.blocksBot());
  expect(await h.deps.sessions.read(h.deps.keys.pseudonym("chat", p.profile.id))).toBeUndefined();
});

test("/help gives the emergency numbers and says how to delete the chat in Telegram", async () => {
  const p = h.person();
  await h.handle(p.text("/help"));
  const texts = h.tg.visible(p.profile.id).filter((m) => m.from === "bot").map((m) => m.text).join("\n");
  expect(texts).toContain("112");
  expect(texts).toMatch(/Delete chat/);
});
