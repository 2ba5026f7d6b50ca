import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context";

/** From here on our code handles the chat only by its pseudonym. */
export const pseudonymise: MiddlewareFn<BotContext> = (ctx, next) => {
  ctx.pseudonym = ctx.chat ? ctx.deps.keys.pseudonym("chat", ctx.chat.id) : "";
  return next();
};
