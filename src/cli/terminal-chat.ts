import type { Bot } from "grammy";
import type { BotContext } from "../context";
import { LocalTelegram, Person, plain, type ChatMessage } from "./local-telegram";

/**
 * What `npm run chat` shows: each typed line is a message to the bot; inline
 * buttons are listed with numbers and pressed by typing the number; a notice
 * shown on a pressed button (Telegram's toast) is printed too.
 */
export class TerminalChat {
  private readonly shown = new Map<number, string>();
  private buttons: { text: string; data: string; messageId: number }[] = [];
  private seenCalls = 0;

  constructor(
    private readonly bot: Bot<BotContext>,
    private readonly tg: LocalTelegram,
    readonly person: Person,
    private readonly print: (line: string) => void = console.log,
  ) {}

  async handle(line: string): Promise<void> {
    const n = Number(line);
    const button = Number.isInteger(n) ? this.buttons[n - 1] : undefined;
    await this.bot.handleUpdate(button ? this.person.callback(button.data, button.messageId) : this.person.text(line));
    this.render();
  }

  private render(): void {
    for (const call of this.tg.calls.slice(this.seenCalls)) {
      if (call.method === "answerCallbackQuery" && call.payload.text) this.print(`\n  💬 ${String(call.payload.text)}`);
    }
    this.seenCalls = this.tg.calls.length;
    for (const m of this.tg.messages(this.person.profile.id)) {
      const state = m.deleted ? "deleted" : JSON.stringify([m.text, m.keyboard]);
      if (m.from === "person" || this.shown.get(m.message_id) === state) continue;
      const before = this.shown.get(m.message_id);
      this.shown.set(m.message_id, state);
      if (m.deleted) {
        if (before) this.print(`  (message ${m.message_id} deleted)`);
        // Buttons of a deleted message can no longer be pressed.
        this.buttons = this.buttons.filter((b) => b.messageId !== m.message_id);
        continue;
      }
      this.printMessage(m);
    }
  }

  private printMessage(m: ChatMessage): void {
    this.print(`\n${"─".repeat(60)}\n${plain(m.text)}`);
    const list = (m.keyboard ?? []).flat().flatMap((b) => ("callback_data" in b ? [{ text: b.text, data: b.callback_data, messageId: m.message_id }] : []));
    // A message with nothing but the quick-exit button (a note to save) keeps the previous screen's buttons usable.
    if (list.length > 1 || this.buttons.length === 0) {
      this.buttons = list;
      list.forEach((b, i) => this.print(`  [${i + 1}] ${b.text}`));
    } else if (list.length === 1) {
      this.print(`  (${list[0]?.text}: /exit)`);
    }
  }
}
