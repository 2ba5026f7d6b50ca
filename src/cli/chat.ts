import { createInterface } from "node:readline";
import { createBot } from "../bot";
import { buildDeps } from "../deps";
import { BOT_INFO, LocalTelegram, Person, plain, type ChatMessage } from "./local-telegram";

/**
 * `npm run chat`: the real bot in a terminal, with no Telegram and no Redis.
 * Each typed line is a message; inline buttons are listed with numbers and
 * pressed by typing the number. `npm run chat -- --lang kk` plays a Telegram
 * app set to Kazakh; without it the bot asks for a language.
 */
async function main(): Promise<void> {
  const langArg = process.argv.indexOf("--lang");
  const language_code = langArg > -1 ? process.argv[langArg + 1] : process.env.CHAT_LANG;
  const tg = new LocalTelegram();
  const bot = createBot(buildDeps({ logLevel: process.env.LOG_LEVEL ?? "silent" }), { botInfo: BOT_INFO, client: { fetch: tg.fetch } });
  await bot.init();
  const person = new Person(tg, { id: 424242, first_name: "You", ...(language_code ? { language_code } : {}) });

  const shown = new Map<number, string>();
  let buttons: { text: string; data: string; messageId: number }[] = [];

  const render = () => {
    for (const m of tg.messages(person.profile.id)) {
      const state = m.deleted ? "deleted" : JSON.stringify([m.text, m.keyboard]);
      if (m.from === "person" || shown.get(m.message_id) === state) continue;
      const before = shown.get(m.message_id);
      shown.set(m.message_id, state);
      if (m.deleted) {
        if (before) console.log(`  (message ${m.message_id} deleted)`);
        // Buttons of a deleted message can no longer be pressed.
        buttons = buttons.filter((b) => b.messageId !== m.message_id);
        continue;
      }
      printMessage(m);
    }
  };

  const printMessage = (m: ChatMessage) => {
    console.log(`\n${"─".repeat(60)}\n${plain(m.text)}`);
    const list = (m.keyboard ?? []).flat().flatMap((b) => ("callback_data" in b ? [{ text: b.text, data: b.callback_data, messageId: m.message_id }] : []));
    // A message with nothing but the quick-exit button (a note to save) keeps the previous screen's buttons usable.
    if (list.length > 1 || buttons.length === 0) {
      buttons = list;
      list.forEach((b, i) => console.log(`  [${i + 1}] ${b.text}`));
    } else if (list.length === 1) {
      console.log(`  (${list[0]?.text}: type /exit)`);
    }
  };

  const handle = async (line: string) => {
    const n = Number(line);
    if (Number.isInteger(n) && n >= 1 && n <= buttons.length) {
      const b = buttons[n - 1];
      if (b) await bot.handleUpdate(person.callback(b.data, b.messageId));
    } else {
      await bot.handleUpdate(person.text(line));
    }
    render();
  };

  console.log("Helpline bot — terminal chat. Type a message, or a button's number. /menu, /help, /language, /delete, /exit; Ctrl-D to leave.");
  await handle("/start");
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "\n> " });
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text) await handle(text);
    rl.prompt();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
