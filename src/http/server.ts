import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { webhookCallback, type Bot } from "grammy";
import type { Update } from "grammy/types";
import type { BotContext, BotDeps } from "../context";
import { describeError } from "../errors";

export interface HttpOptions {
  bot: Bot<BotContext>;
  deps: BotDeps;
  /** Webhook mode: the path Telegram posts to and the secret it must send. */
  webhook?: { path: string; secret: string; timeoutMs: number };
  /** When set, /metrics asks for "Authorization: Bearer <token>". */
  metricsToken?: string;
}

const sameSecret = (given: string, expected: string) =>
  given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));

/** Telegram's updates are far smaller; anything larger is refused while it streams in. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

class BadRequest extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Reads a body of at most `limit` bytes; a larger one is refused before it is buffered. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers["content-length"] ?? 0) > limit) return Promise.reject(new BadRequest(413, "too_large"));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.pause();
        reject(new BadRequest(413, "too_large"));
      } else chunks.push(chunk);
    });
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

/** Anything that is not a JSON object with a numeric update_id is not an update. */
function parseUpdate(body: Buffer): Update {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new BadRequest(400, "not_json");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || !Number.isSafeInteger((value as { update_id?: unknown }).update_id)) {
    throw new BadRequest(400, "not_an_update");
  }
  return value as Update;
}

/**
 * The bot's HTTP side: /healthz (alive), /readyz (store reachable and bot
 * initialised), /metrics (Prometheus), and in webhook mode the webhook itself.
 * The counters are aggregate, yet their timing could tell a watcher that
 * someone in a small language community just opened an urgent case: so in
 * webhook mode, where this port faces the internet, /metrics is served only
 * with METRICS_TOKEN.
 * The webhook answers only after the update is handled, so Telegram keeps each
 * chat's updates in order (never onTimeout "return").
 */
export function createHttpServer({ bot, deps, webhook, metricsToken }: HttpOptions): Server & { inFlight(): number } {
  let inFlight = 0;
  // grammY's own webhook handling (its timeout, and replies in the response), fed an update we have checked.
  const handleUpdate = webhook
    ? webhookCallback(bot, "callback", { secretToken: webhook.secret, timeoutMilliseconds: webhook.timeoutMs, onTimeout: "throw" })
    : undefined;

  const send = (res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8") => {
    res.writeHead(status, { "content-type": type }).end(body);
  };

  /**
   * The webhook: nothing is read without Telegram's secret token, a body over
   * the limit is refused as it streams, and what is not an update gets a 400
   * (a warning, not an error: it is someone else's mistake, not ours).
   */
  const serveWebhook = async (req: IncomingMessage, res: ServerResponse, secret: string) => {
    const given = req.headers["x-telegram-bot-api-secret-token"];
    if (typeof given !== "string" || !sameSecret(given, secret)) {
      res.writeHead(401, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end("unauthorized\n");
      return;
    }
    // An old webhook may post before the bot has reached Telegram at start: Telegram retries later.
    if (!bot.isInited()) return send(res, 503, "starting\n");
    let update: Update;
    try {
      update = parseUpdate(await readBody(req, WEBHOOK_BODY_LIMIT));
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      deps.log.warn({ event: "webhook_refused", reason: error.reason });
      res.writeHead(error.status, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end(`${error.reason}\n`);
      if (error.status === 413) req.destroy();
      return;
    }
    inFlight += 1;
    try {
      let replied = false;
      await handleUpdate!(update, (json: string) => {
        replied = true;
        send(res, 200, json, "application/json");
      }, given);
      if (!replied) send(res, 200, "{}", "application/json");
    } finally {
      inFlight -= 1;
    }
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    // Logged instead of the path, which in webhook mode may carry a secret (some put the bot token there).
    const route = path === webhook?.path ? "webhook" : (["/healthz", "/readyz", "/metrics"].find((known) => known === path) ?? "other");
    try {
      if (req.method === "GET" && path === "/healthz") return send(res, 200, "ok\n");
      if (req.method === "GET" && path === "/readyz") {
        const checks = { store: await deps.kv.ping(), bot: bot.isInited() };
        return send(res, checks.store && checks.bot ? 200 : 503, `${JSON.stringify(checks)}\n`, "application/json");
      }
      if (req.method === "GET" && path === "/metrics") {
        if (metricsToken ? !sameSecret(req.headers.authorization ?? "", `Bearer ${metricsToken}`) : webhook) {
          return send(res, metricsToken ? 401 : 404, metricsToken ? "unauthorized\n" : "not found\n");
        }
        return send(res, 200, await deps.metrics.registry.metrics(), deps.metrics.registry.contentType);
      }
      if (webhook && req.method === "POST" && path === webhook.path) return await serveWebhook(req, res, webhook.secret);
      send(res, 404, "not found\n");
    } catch (error) {
      deps.log.error({ event: "http_error", route, error: describeError(error) });
      if (!res.headersSent) send(res, 500, "error\n");
      else res.end();
    }
  });
  return Object.assign(server, { inFlight: () => inFlight });
}
