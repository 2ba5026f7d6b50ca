import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context";
import { emptySession } from "./session";

/**
 * The sealed session of a private chat: read before the features, saved
 * after them (SessionStore.save: only when changed or due for a TTL refresh),
 * deleted when the person asked us to forget. Written by hand rather than with grammY's session() because the bot
 * must keep answering when the store is down: a failed read leaves an empty,
 * unsaved session and ctx.stateAvailable = false instead of failing the update.
 */
export const sealedSession: MiddlewareFn<BotContext> = async (ctx, next) => {
  const { sessions, log } = ctx.deps;
  let forget = false;
  ctx.forget = () => {
    forget = true;
    ctx.session = emptySession();
  };
  ctx.session = emptySession();
  ctx.stateAvailable = false;
  if (ctx.chat?.type !== "private") return next();
  let asRead: string | undefined;
  try {
    const stored = await sessions.read(ctx.pseudonym);
    if (stored) asRead = JSON.stringify(stored);
    ctx.session = stored ?? emptySession();
    ctx.stateAvailable = true;
  } catch {
    log.warn({ event: "store_unavailable", op: "read" });
  }
  try {
    await next();
  } finally {
    if (ctx.stateAvailable) {
      try {
        if (forget) await sessions.delete(ctx.pseudonym);
        else await sessions.save(ctx.pseudonym, ctx.session, asRead);
      } catch {
        log.warn({ event: "store_unavailable", op: forget ? "delete" : "write", chat: ctx.pseudonym });
      }
    }
  }
};
