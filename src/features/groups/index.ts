import { Composer } from "grammy";
import type { BotContext } from "../../context";

/**
 * The bot talks to people one to one, and to staff in the configured
 * operators' groups. In any other group or channel it says nothing and leaves.
 */
export const groups = new Composer<BotContext>();

groups.drop(
  (ctx) => ctx.chat?.type === "private" || ctx.chat === undefined || Boolean(ctx.deps.handoff?.groupById(ctx.chat.id)),
  async (ctx) => {
    const chat = ctx.chat;
    if (!chat) return;
    const status = ctx.myChatMember?.new_chat_member.status;
    if (status === "left" || status === "kicked") return;
    ctx.deps.log.info({ event: "left_group", chat_type: chat.type });
    await ctx.leaveChat().catch(() => undefined);
  },
);
