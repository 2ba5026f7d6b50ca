import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { webhookCallback, type Bot } from "grammy";
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
  const handleWebhook = webhook
    ? webhookCallback(bot, "http", { secretToken: webhook.secret, timeoutMilliseconds: webhook.timeoutMs, onTimeout: "throw" })
    : undefined;

  const send = (res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8") => {
    res.writeHead(status, { "content-type": type }).end(body);
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
      if (handleWebhook && webhook && req.method === "POST" && path === webhook.path) {
        inFlight += 1;
        try {
          await handleWebhook(req, res);
        } finally {
          inFlight -= 1;
        }
        return;
      }
      send(res, 404, "not found\n");
    } catch (error) {
      deps.log.error({ event: "http_error", route, error: describeError(error) });
      if (!res.headersSent) send(res, 500, "error\n");
      else res.end();
    }
  });
  return Object.assign(server, { inFlight: () => inFlight });
}
