import type { BotContext } from "../../context";
import { when } from "../../routing";

/**
 * The bot talks to people one to one, and to staff in the configured
 * operators' groups. In any other group or channel it says nothing and leaves.
 */
export const groups = when<BotContext>(
  (ctx) => ctx.chat !== undefined && ctx.chat.type !== "private" && !ctx.deps.handoff?.groupById(ctx.chat.id),
  async (ctx) => {
    const chat = ctx.chat;
    if (!chat) return;
    const status = ctx.myChatMember?.new_chat_member.status;
    if (status === "left" || status === "kicked") return;
    ctx.deps.log.info({ event: "left_group", chat_type: chat.type });
    await ctx.leaveChat().catch(() => undefined);
  },
);
