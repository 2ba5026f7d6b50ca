import type { MiddlewareFn, Transformer } from "grammy";
import type { Message, MessageId } from "grammy/types";
import type { BotContext, BotDeps } from "../../context";
import { describeError } from "../../errors";
import { KEY_PREFIX } from "../../store/kv";
import { MAX_TRACKED_MESSAGES } from "../../store/session";

const SENDING_METHODS = new Set([
  "sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendAnimation", "sendVoice", "sendAudio",
  "sendSticker", "sendLocation", "sendContact", "sendMediaGroup", "copyMessage", "copyMessages",
]);

/** Ids of messages that reached a chat outside its own updates live as long as a case can. */
export const DELIVERED_TTL_SECONDS = 24 * 3600;

function remember(ctx: BotContext, id: number): void {
  const ids = ctx.session.messages;
  if (ids.includes(id)) return;
  ids.push(id);
  if (ids.length > MAX_TRACKED_MESSAGES) ids.splice(0, ids.length - MAX_TRACKED_MESSAGES);
}

/**
 * Quick exit deletes every message of a conversation, so the id of every
 * message that reaches a private chat is noted, by whatever path it came (ids
 * only, never content):
 *  - the person's own messages, and what the bot sends while handling the
 *    chat's update (one at a time per chat), go into the sealed session;
 *  - what reaches the chat at any other moment (a hotline worker's message
 *    copied from the operators' group, the bot's notices about a case) goes
 *    into a capped list under the chat's pseudonym, with a TTL.
 * One transformer on the bot's API sees every call, from any update or none.
 */
export class MessageTracker {
  /** Private chats whose update is being handled now. */
  private readonly handling = new Map<number, BotContext>();

  constructor(private readonly deps: Pick<BotDeps, "kv" | "keys" | "log">) {}

  readonly middleware: MiddlewareFn<BotContext> = async (ctx, next) => {
    const chatId = ctx.chat?.id;
    if (ctx.chat?.type !== "private" || chatId === undefined) return next();
    if (ctx.message) remember(ctx, ctx.message.message_id);
    this.handling.set(chatId, ctx);
    try {
      await next();
    } finally {
      if (this.handling.get(chatId) === ctx) this.handling.delete(chatId);
    }
  };

  readonly transformer: Transformer = async (prev, method, payload, signal) => {
    const response = await prev(method, payload, signal);
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    // Private chats have positive ids; groups negative.
    if (!response.ok || !SENDING_METHODS.has(method) || typeof chatId !== "number" || chatId <= 0) return response;
    const result = response.result as unknown as Message | MessageId | Array<Message | MessageId>;
    const ids = (Array.isArray(result) ? result : [result]).map((m) => m.message_id);
    const ctx = this.handling.get(chatId);
    if (ctx) ids.forEach((id) => remember(ctx, id));
    else {
      const key = this.key(this.deps.keys.pseudonym("chat", chatId));
      for (const id of ids) {
        await this.deps.kv.append(key, String(id), MAX_TRACKED_MESSAGES, DELIVERED_TTL_SECONDS).catch((error: unknown) => {
          this.deps.log.warn({ event: "delivered_not_tracked", error: describeError(error) });
        });
      }
    }
    return response;
  };

  private key(pseudonym: string): string {
    return `${KEY_PREFIX}m:${pseudonym}`;
  }

  /** Every message id of this chat: the session's and those noted outside its updates. */
  async all(ctx: BotContext): Promise<number[]> {
    const outside = await this.deps.kv.list(this.key(ctx.pseudonym)).catch(() => []);
    return [...new Set([...ctx.session.messages, ...outside.map(Number)])].sort((a, b) => a - b);
  }

  /** Erases the ids noted outside the chat's updates (the session's go with the session). */
  async forget(pseudonym: string): Promise<void> {
    await this.deps.kv.del(this.key(pseudonym)).catch(() => undefined);
  }
}
