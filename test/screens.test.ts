import type { Update } from "grammy/types";
import { LANGUAGES } from "../src/i18n/languages";
import { SCREEN_LIMIT } from "../src/ui/pages";
import { harness, profile, type Harness } from "./helpers/harness";

/**
 * Every screen a person can reach fits a phone, in every language: the bot is
 * walked from /start by pressing every button it shows (breadth first, each
 * button's data once per language), plus the self-check answered all "yes" and
 * all "not sure" on every track and age (the longest results), and every text
 * the bot sends or edits on the way is measured as sent.
 */
const MAX_PATHS = 450;

async function walk(h: Harness, lang: string, path: string[], onScreen: (text: string, where: string) => void): Promise<string[]> {
  const p = h.person(profile(lang));
  const chat = p.profile.id;
  const record = (where: string) => {
    for (const m of h.tg.messages(chat)) if (m.from === "bot") onScreen(m.text, where);
  };
  await h.handle(p.text("/start"));
  record("/start");
  for (const data of path) {
    await h.handle(p.callback(data) as Update);
    record(path.join(" → "));
  }
  return (h.tg.lastBotMessage(chat)?.keyboard ?? []).flat().flatMap((b) => ("callback_data" in b ? [b.callback_data] : []));
}

describe.each(LANGUAGES)("%s", (lang) => {
  test(`no reachable screen is longer than ${SCREEN_LIMIT} characters`, async () => {
    const h = await harness();
    const tooLong = new Map<string, string>();
    const measured = { screens: 0 };
    const onScreen = (text: string, where: string) => {
      measured.screens++;
      if (text.length > SCREEN_LIMIT && !tooLong.has(text)) tooLong.set(text, `${text.length} chars after ${where}: ${text.slice(0, 80)}…`);
    };
    const seen = new Set<string>();
    const queue: string[][] = [[]];
    let walked = 0;
    while (queue.length && walked < MAX_PATHS) {
      const path = queue.shift()!;
      walked++;
      for (const data of await walk(h, lang, path, onScreen)) {
        if (seen.has(data)) continue;
        seen.add(data);
        queue.push([...path, data]);
      }
    }
    // The longest results: every question answered the same way, on each track and age.
    const t = h.deps.i18n.getFixedT(lang);
    for (const answer of ["screening.answer.yes", "screening.answer.unsure"]) {
      for (const [track, age] of [["situation", "14_17"], ["situation", "25plus"], ["offer", "14_17"], ["offer", "18_24"]]) {
        const p = h.person(profile(lang));
        await h.handle(p.text("/start"));
        await h.handle(p.press(t("button.check")));
        for (let guard = 0; guard < 80 && (await h.deps.sessions.read(h.deps.keys.pseudonym("chat", p.profile.id)))?.screening; guard++) {
          const shown = h.buttons(p.profile.id);
          const pick = [t(`screening.track.${track}`), t(`screening.option.${age}`), t("screening.start"), t("screening.continue"), t(answer), t("screening.answer.no")].find((l) => shown.includes(l)) ?? shown[0]!;
          await h.handle(p.press(pick));
        }
        for (const label of [t("button.next"), t("button.next"), t("button.next")]) if (h.buttons(p.profile.id).includes(label)) await h.handle(p.press(label));
        for (const m of h.tg.messages(p.profile.id)) if (m.from === "bot") onScreen(m.text, `${track}/${age} all ${answer}`);
      }
    }
    expect(walked).toBeGreaterThan(40);
    expect([...tooLong.values()]).toEqual([]);
  });
});
