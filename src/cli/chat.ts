import { createInterface } from "node:readline";
import { createBot } from "../bot";
import { buildDeps } from "../deps";
import { BOT_INFO, LocalTelegram, Person } from "./local-telegram";
import { TerminalChat } from "./terminal-chat";

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
  const chat = new TerminalChat(bot, tg, new Person(tg, { id: 424242, first_name: "You", ...(language_code ? { language_code } : {}) }));

  console.log("Helpline bot — terminal chat. Type a message, or a button's number. /menu, /help, /language, /delete, /exit; Ctrl-D to leave.");
  await chat.handle("/start");
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "\n> " });
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text) await chat.handle(text);
    rl.prompt();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
