import type { InlineKeyboardButton, Update, UserFromGetMe } from "grammy/types";

/**
 * A small in-process stand-in for Telegram's Bot API, plugged into grammY at
 * `client.fetch`. It keeps what each chat would show (messages, edits,
 * deletions, inline keyboards), records every call, and can be told to fail a
 * method (429, 500, 403, 400). `npm run chat` uses it to run the real bot in a
 * terminal; the tests use it to see what a person would see.
 */

export const BOT_INFO = {
  id: 7000000001,
  is_bot: true,
  first_name: "Helpline",
  username: "helpline_test_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
} as unknown as UserFromGetMe;

export interface ChatMessage {
  message_id: number;
  from: "bot" | "person" | "operator";
  /** Forum topic (operators' groups). */
  thread?: number;
  /** For copies: where the original was. */
  copyOf?: { chat: number; message_id: number };
  protect?: boolean;
  text: string;
  keyboard?: InlineKeyboardButton[][];
  parse_mode?: string;
  deleted: boolean;
  /** Order of the last send or edit: the screen the person looks at is the newest. */
  touched: number;
}

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

interface Failure {
  method: string;
  times: number;
  error_code: number;
  /** Undefined: the error has no description at all (as some self-hosted Bot API servers answer). */
  description?: string;
  retry_after?: number;
}

export class LocalTelegram {
  readonly calls: ApiCall[] = [];
  /** Keep a log of every call (tests read it; a long benchmark need not). */
  constructor(private readonly recordCalls = true) {}

  private readonly chats = new Map<number, ChatMessage[]>();
  private readonly failures: Failure[] = [];
  private readonly hanging = new Set<string>();
  /** Requests held by hang(): answered by release(), or ended when grammY aborts them. */
  private readonly held = new Set<() => void>();
  private nextMessageId = 1;
  private nextUpdateId = 1;
  private touches = 0;
  /** Forum topics by group: thread id → name and state. */
  readonly topics = new Map<number, Map<number, { name: string; closed: boolean; deleted: boolean }>>();
  /** Users getChatMember reports as not members of a group. */
  readonly outsiders = new Set<number>();

  /** Pass as `client: { fetch }` to grammY. */
  readonly fetch = (async (url: string | URL, init?: { body?: unknown; signal?: AbortSignal }) => {
    const method = String(url).split("/").pop() ?? "";
    const payload = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    if (this.recordCalls) this.calls.push({ method, payload });
    const answer = () => new Response(JSON.stringify(this.respond(method, payload)), { headers: { "content-type": "application/json" } });
    if (this.hanging.delete(method)) {
      return new Promise<Response>((resolve, reject) => {
        const release = () => {
          this.held.delete(release);
          resolve(answer());
        };
        this.held.add(release);
        init?.signal?.addEventListener("abort", () => {
          this.held.delete(release);
          reject(new Error("aborted"));
        });
      });
    }
    return answer();
  }) as unknown as typeof fetch;

  /** The next call of `method` does not answer (a stuck request) until release(). */
  hang(method: string): void {
    this.hanging.add(method);
  }

  /** Answers every request held by hang(), so nothing (grammY's request timer) outlives a test. */
  release(): void {
    for (const release of [...this.held]) release();
  }

  /** The next `times` calls of `method` fail with this Telegram error. */
  fail(method: string, error_code: number, description: string | undefined, options: { times?: number; retry_after?: number } = {}): void {
    this.failures.push({ method, error_code, description, times: options.times ?? 1, retry_after: options.retry_after });
  }

  messages(chatId: number): ChatMessage[] {
    return this.chats.get(chatId) ?? [];
  }

  /** What the chat shows now: messages not deleted, oldest first. */
  visible(chatId: number): ChatMessage[] {
    return this.messages(chatId).filter((m) => !m.deleted);
  }

  /** The bot message sent or edited last: what the person is looking at. */
  lastBotMessage(chatId: number): ChatMessage | undefined {
    return this.visible(chatId)
      .filter((m) => m.from === "bot")
      .sort((a, b) => a.touched - b.touched)
      .pop();
  }

  methods(): string[] {
    return this.calls.map((c) => c.method);
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  newMessageId(): number {
    return this.nextMessageId++;
  }

  newUpdateId(): number {
    return this.nextUpdateId++;
  }

  /** Records a message a person (or an operator, in a group) sent, as Telegram would show it. */
  addPersonMessage(chatId: number, text: string, thread?: number): number {
    const message_id = this.newMessageId();
    this.chat(chatId).push({ message_id, from: chatId < 0 ? "operator" : "person", text, deleted: false, touched: ++this.touches, ...(thread ? { thread } : {}) });
    return message_id;
  }

  /** Messages in one forum topic of a group. */
  inTopic(group: number, thread: number): ChatMessage[] {
    return this.visible(group).filter((m) => m.thread === thread);
  }

  private copy(p: Record<string, unknown>, id: number): { message_id: number } | undefined {
    const from = Number(p.from_chat_id);
    const original = this.messages(from).find((m) => m.message_id === id && !m.deleted);
    if (!original) return undefined;
    const message_id = this.newMessageId();
    const thread = p.message_thread_id as number | undefined;
    const keyboard = (p.reply_markup as { inline_keyboard?: InlineKeyboardButton[][] } | undefined)?.inline_keyboard;
    this.chat(Number(p.chat_id)).push({
      message_id, from: "bot", text: original.text, keyboard, deleted: false, touched: ++this.touches,
      copyOf: { chat: from, message_id: id }, protect: Boolean(p.protect_content), ...(thread ? { thread } : {}),
    });
    return { message_id };
  }

  private chat(chatId: number): ChatMessage[] {
    let list = this.chats.get(chatId);
    if (!list) this.chats.set(chatId, (list = []));
    return list;
  }

  private respond(method: string, p: Record<string, unknown>): unknown {
    const failure = this.failures.find((f) => f.method === method && f.times > 0);
    if (failure) {
      failure.times -= 1;
      return {
        ok: false,
        error_code: failure.error_code,
        ...(failure.description !== undefined ? { description: failure.description } : {}),
        ...(failure.retry_after !== undefined ? { parameters: { retry_after: failure.retry_after } } : {}),
      };
    }
    const chatId = Number(p.chat_id);
    const keyboard = (p.reply_markup as { inline_keyboard?: InlineKeyboardButton[][] } | undefined)?.inline_keyboard;
    switch (method) {
      case "getMe":
        return { ok: true, result: BOT_INFO };
      case "sendMessage": {
        const text = String(p.text ?? "");
        if (!text.trim()) return { ok: false, error_code: 400, description: "Bad Request: message text is empty" };
        if (text.length > 4096) return { ok: false, error_code: 400, description: "Bad Request: message is too long" };
        const message_id = this.newMessageId();
        const thread = p.message_thread_id as number | undefined;
        this.chat(chatId).push({ message_id, from: "bot", text, keyboard, parse_mode: p.parse_mode as string, deleted: false, touched: ++this.touches, ...(thread ? { thread } : {}) });
        return { ok: true, result: { message_id, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: chatId > 0 ? "private" : "supergroup" }, text } };
      }
      case "editMessageText": {
        const message = this.chat(chatId).find((m) => m.message_id === p.message_id && !m.deleted && m.from === "bot");
        if (!message) return { ok: false, error_code: 400, description: "Bad Request: message to edit not found" };
        const text = String(p.text ?? "");
        if (text.length > 4096) return { ok: false, error_code: 400, description: "Bad Request: MESSAGE_TOO_LONG" };
        if (message.text === text && JSON.stringify(message.keyboard) === JSON.stringify(keyboard))
          return { ok: false, error_code: 400, description: "Bad Request: message is not modified" };
        Object.assign(message, { text, keyboard, parse_mode: p.parse_mode, touched: ++this.touches });
        return { ok: true, result: { message_id: message.message_id, date: 0, chat: { id: chatId, type: "private" }, text } };
      }
      case "deleteMessages":
      case "deleteMessage": {
        const ids = (p.message_ids as number[] | undefined) ?? [Number(p.message_id)];
        for (const m of this.chat(chatId)) if (ids.includes(m.message_id)) m.deleted = true;
        return { ok: true, result: true };
      }
      case "copyMessage": {
        const copied = this.copy(p, Number(p.message_id));
        return copied ? { ok: true, result: copied } : { ok: false, error_code: 400, description: "Bad Request: message to copy not found" };
      }
      case "copyMessages": {
        const ids = (p.message_ids as number[]) ?? [];
        const copied = ids.map((id) => this.copy(p, id)).filter(Boolean);
        return { ok: true, result: copied };
      }
      case "createForumTopic": {
        const thread = this.newMessageId();
        const topics = this.topics.get(chatId) ?? new Map();
        topics.set(thread, { name: String(p.name), closed: false, deleted: false });
        this.topics.set(chatId, topics);
        return { ok: true, result: { message_thread_id: thread, name: p.name, icon_color: 0x6fb9f0 } };
      }
      case "editForumTopic":
      case "closeForumTopic":
      case "deleteForumTopic": {
        const topic = this.topics.get(chatId)?.get(Number(p.message_thread_id));
        if (!topic || topic.deleted) return { ok: false, error_code: 400, description: "Bad Request: TOPIC_ID_INVALID" };
        if (method === "editForumTopic" && p.name) topic.name = String(p.name);
        if (method === "closeForumTopic") topic.closed = true;
        if (method === "deleteForumTopic") {
          topic.deleted = true;
          for (const m of this.chat(chatId)) if (m.thread === Number(p.message_thread_id)) m.deleted = true;
        }
        return { ok: true, result: true };
      }
      case "getChatMember": {
        const userId = Number(p.user_id);
        const status = this.outsiders.has(userId) ? "left" : "member";
        return { ok: true, result: { status, user: { id: userId, is_bot: false, first_name: "U" } } };
      }
      default:
        return { ok: true, result: true };
    }
  }
}

export interface PersonProfile {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** Builds the updates one person would cause in their private chat with the bot. */
export class Person {
  constructor(
    private readonly tg: LocalTelegram,
    readonly profile: PersonProfile,
  ) {}

  private base() {
    return {
      date: Math.floor(Date.now() / 1000),
      chat: { id: this.profile.id, type: "private" as const, first_name: this.profile.first_name, username: this.profile.username },
      from: { is_bot: false as const, ...this.profile },
    };
  }

  private message(extra: Record<string, unknown>, shown: string): Update {
    const message_id = this.tg.addPersonMessage(this.profile.id, shown);
    return { update_id: this.tg.newUpdateId(), message: { message_id, ...this.base(), ...extra } } as unknown as Update;
  }

  text(text: string): Update {
    return this.message({ text, ...commandEntity(text) }, text);
  }

  sticker(): Update {
    return this.message({ sticker: { file_id: "s1", file_unique_id: "s1", type: "regular", width: 512, height: 512, is_animated: false, is_video: false } }, "[sticker]");
  }

  photo(caption?: string, mediaGroup?: string): Update {
    return this.message(
      { photo: [{ file_id: "p1", file_unique_id: "p1", width: 90, height: 90 }], ...(caption ? { caption } : {}), ...(mediaGroup ? { media_group_id: mediaGroup } : {}) },
      caption ? `[photo] ${caption}` : "[photo]",
    );
  }

  voice(): Update {
    return this.message({ voice: { file_id: "v1", file_unique_id: "v1", duration: 3 } }, "[voice]");
  }

  document(): Update {
    return this.message({ document: { file_id: "d1", file_unique_id: "d1" } }, "[file]");
  }

  location(): Update {
    return this.message({ location: { latitude: 56.95, longitude: 24.1 } }, "[location]");
  }

  edit(messageId: number, text: string): Update {
    return { update_id: this.tg.newUpdateId(), edited_message: { message_id: messageId, edit_date: Math.floor(Date.now() / 1000), ...this.base(), text } } as unknown as Update;
  }

  /** Presses a button in the newest bot message that has one matching `label` (text, or a RegExp). */
  press(label: string | RegExp): Update {
    const newestFirst = this.tg.visible(this.profile.id).sort((a, b) => b.touched - a.touched);
    for (const m of newestFirst) {
      const button = m.keyboard?.flat().find((b) => (typeof label === "string" ? b.text === label : label.test(b.text)));
      if (button && "callback_data" in button) return this.callback(button.callback_data, m.message_id);
    }
    const shown = this.tg.lastBotMessage(this.profile.id)?.keyboard?.flat().map((b) => b.text).join(" | ");
    throw new Error(`no button ${String(label)} on screen; buttons: ${shown ?? "none"}`);
  }

  /** Any callback data, e.g. forged or from an old message. */
  callback(data: string, messageId = this.tg.lastBotMessage(this.profile.id)?.message_id ?? 1): Update {
    return {
      update_id: this.tg.newUpdateId(),
      callback_query: {
        id: String(this.tg.newUpdateId()),
        from: this.base().from,
        chat_instance: "ci",
        data,
        message: { message_id: messageId, date: 0, chat: this.base().chat, text: "…" },
      },
    } as unknown as Update;
  }

  blocksBot(): Update {
    return {
      update_id: this.tg.newUpdateId(),
      my_chat_member: {
        chat: this.base().chat,
        from: this.base().from,
        date: 0,
        old_chat_member: { status: "member", user: BOT_INFO },
        new_chat_member: { status: "kicked", user: BOT_INFO, until_date: 0 },
      },
    } as unknown as Update;
  }
}

/** Builds the updates of an operator in a forum supergroup. */
export class Operator {
  constructor(
    private readonly tg: LocalTelegram,
    readonly group: number,
    readonly profile: PersonProfile,
  ) {}

  private base() {
    return {
      date: Math.floor(Date.now() / 1000),
      chat: { id: this.group, type: "supergroup" as const, title: "Hotline", is_forum: true as const },
      from: { is_bot: false as const, ...this.profile },
    };
  }

  /** A message in a topic (thread), or in the General topic when thread is undefined. */
  text(text: string, thread?: number): Update {
    const message_id = this.tg.addPersonMessage(this.group, text, thread);
    return {
      update_id: this.tg.newUpdateId(),
      message: {
        message_id, ...this.base(), text,
        ...(thread ? { message_thread_id: thread, is_topic_message: true } : {}),
        ...commandEntity(text),
      },
    } as unknown as Update;
  }

  photo(thread: number): Update {
    const message_id = this.tg.addPersonMessage(this.group, "[photo]", thread);
    return {
      update_id: this.tg.newUpdateId(),
      message: { message_id, ...this.base(), photo: [{ file_id: "p", file_unique_id: "p", width: 9, height: 9 }], message_thread_id: thread, is_topic_message: true },
    } as unknown as Update;
  }

  /** Presses a button on a message in the group (by callback data). */
  press(data: string, thread?: number): Update {
    const newestFirst = this.tg.visible(this.group).sort((a, b) => b.touched - a.touched);
    const message = newestFirst.find((m) => m.keyboard?.flat().some((b) => "callback_data" in b && b.callback_data === data));
    return {
      update_id: this.tg.newUpdateId(),
      callback_query: {
        id: String(this.tg.newUpdateId()),
        from: this.base().from,
        chat_instance: "g",
        data,
        message: { message_id: message?.message_id ?? 1, date: 0, chat: this.base().chat, text: "…", ...(thread ?? message?.thread ? { message_thread_id: thread ?? message?.thread, is_topic_message: true } : {}) },
      },
    } as unknown as Update;
  }
}

/** The entity Telegram adds to a message that starts with a /command. */
function commandEntity(text: string): { entities?: { type: "bot_command"; offset: 0; length: number }[] } {
  const command = /^\/\w+/.exec(text);
  return command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {};
}

/** Telegram HTML → plain terminal text. */
export function plain(html: string): string {
  return html
    .replace(/<\/?(b|i|u|s|code|pre|blockquote)>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x2F;/g, "/")
    .replace(/&amp;/g, "&");
}
