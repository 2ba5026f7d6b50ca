import type { MiddlewareFn } from "grammy";
import type { Message, MessageId } from "grammy/types";
import type { BotContext } from "../../context";
import { MAX_TRACKED_MESSAGES } from "../../store/session";

const SENDING_METHODS = new Set([
  "sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendAnimation", "sendVoice", "sendAudio",
  "sendSticker", "sendLocation", "sendContact", "sendMediaGroup", "copyMessage", "copyMessages",
]);

function remember(ctx: BotContext, id: number): void {
  const ids = ctx.session.messages;
  if (ids.includes(id)) return;
  ids.push(id);
  if (ids.length > MAX_TRACKED_MESSAGES) ids.splice(0, ids.length - MAX_TRACKED_MESSAGES);
}

/**
 * Quick exit deletes this conversation's messages, so we note their ids (ids
 * only, never content) in the sealed session: the person's incoming message,
 * and every message the bot sends into this chat during the update.
 */
export const trackMessages: MiddlewareFn<BotContext> = (ctx, next) => {
  const chatId = ctx.chat?.id;
  if (ctx.chat?.type !== "private" || chatId === undefined) return next();
  if (ctx.message) remember(ctx, ctx.message.message_id);
  ctx.api.config.use((prev, method, payload, signal) => {
    const target = (payload as { chat_id?: number | string } | undefined)?.chat_id;
    if (!SENDING_METHODS.has(method) || target !== chatId) return prev(method, payload, signal);
    return prev(method, payload, signal).then((response) => {
      if (response.ok) {
        const result = response.result as unknown as Message | MessageId | Array<Message | MessageId>;
        for (const m of Array.isArray(result) ? result : [result]) remember(ctx, m.message_id);
      }
      return response;
    });
  });
  return next();
};
