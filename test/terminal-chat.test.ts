import { TerminalChat } from "../src/cli/terminal-chat";
import { harness, profile } from "./helpers/harness";

async function chat(lang: string) {
  const h = await harness();
  const lines: string[] = [];
  const c = new TerminalChat(h.bot, h.tg, h.person(profile(lang)), (line) => lines.push(line));
  return { h, c, lines, t: h.deps.i18n.getFixedT(lang) };
}

/** Types the number of the listed button with this label. */
async function press(c: TerminalChat, lines: string[], label: string) {
  const listed = [...lines].reverse().find((l) => l.endsWith(`] ${label}`));
  if (!listed) throw new Error(`no button ${label}`);
  await c.handle(listed.trim().slice(1, listed.trim().indexOf("]")));
}

test("npm run chat prints the notice on a pressed button (here: a check that expired meanwhile)", async () => {
  const { h, c, lines, t } = await chat("en");
  await c.handle("/start");
  for (const label of [t("button.check"), t("screening.start"), t("screening.track.situation")]) await press(c, lines, label);
  await h.deps.sessions.delete(h.deps.keys.pseudonym("chat", c.person.profile.id)); // as after the session's TTL
  await press(c, lines, t("screening.option.LV"));
  expect(lines).toContain(`\n  💬 ${t("screening.expired")}`);
});

test("the quick-exit hint under a note carries no English words in another language", async () => {
  const { c, lines, t } = await chat("ru");
  await c.handle("/start");
  for (const label of [t("button.topics"), t("topics.documents.title"), t("button.next"), t("button.next"), t("button.save")]) await press(c, lines, label);
  expect(lines).toContain(`  (${t("button.quick_exit")}: /exit)`);
  expect(lines.join("\n")).not.toMatch(/type \/exit/);
});
