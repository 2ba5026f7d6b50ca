import { Composer, type Context, type Middleware, type MiddlewareFn } from "grammy";

/**
 * Two routing helpers for the path every update takes. grammY's filter() and
 * route() build a new Composer for each update they see; with a dozen of them
 * on the way to a handler, that was a measurable share of the bot's time (see
 * README "Performance"). These decide with a plain synchronous test instead.
 */

/** Runs `middleware` when `test` holds, otherwise passes the update on (like Composer.filter). */
export function when<C extends Context>(test: (ctx: C) => boolean, ...middleware: Middleware<C>[]): MiddlewareFn<C> {
  const inner = new Composer<C>(...middleware).middleware();
  return (ctx, next) => (test(ctx) ? inner(ctx, next) : next());
}

/**
 * Sends an update to the route its key names; an unknown key (or none) passes
 * it on (like Composer.route). Only the routes given are known: callback data
 * such as "v1:constructor" cannot reach a property of Object.prototype.
 */
export function dispatch<C extends Context>(key: (ctx: C) => string | undefined, routes: Record<string, Middleware<C>>): MiddlewareFn<C> {
  const table = new Map(Object.entries(routes).map(([name, middleware]) => [name, new Composer<C>(middleware).middleware()]));
  return (ctx, next) => {
    const route = table.get(key(ctx) ?? "");
    return route ? route(ctx, next) : next();
  };
}

/** "v1:<feature>:<action>:…" → feature. */
export const buttonFeature = (ctx: Context): string | undefined => ctx.callbackQuery?.data?.split(":", 2)[1];

/** "v1:<feature>:<action>:…" → action. */
export const buttonAction = (ctx: Context): string | undefined => ctx.callbackQuery?.data?.split(":", 3)[2];
