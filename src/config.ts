import { z } from "zod";
import { LANGUAGES } from "./i18n/languages";
import { parseHandoffConfig, type HandoffConfig } from "./features/handoff/config";

/** One sentinel: `host:port`, `[v6-address]:port`. */
const SENTINEL_ADDRESS = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9_.-]+)):(\d{1,5})$/;

/**
 * REDIS_SENTINELS="10.0.0.5:26379,10.0.0.6:26379,10.0.0.7:26379". A bad entry
 * is named by its position, never by its text: a URL with a password pasted
 * here by mistake must not end up in the log.
 */
const sentinelList = z.string().transform((spec, ctx) => {
  const entries = spec.split(",").map((s) => s.trim()).filter(Boolean);
  const sentinels: { host: string; port: number }[] = [];
  entries.forEach((entry, i) => {
    const m = SENTINEL_ADDRESS.exec(entry);
    const port = Number(m?.[3]);
    if (!m || port < 1 || port > 65_535) {
      ctx.addIssue({ code: "custom", message: `entry ${i + 1} of ${entries.length} is not host:port (e.g. 10.0.0.5:26379)` });
    } else {
      sentinels.push({ host: (m[1] ?? m[2])!, port });
    }
  });
  if (!entries.length) ctx.addIssue({ code: "custom", message: "lists no sentinel: give host:port of each, comma-separated" });
  return sentinels;
});

/**
 * The environment, validated once at start. Every problem is reported in one
 * readable message so a deployer can fix them all in one go.
 */
const configSchema = z
  .object({
    BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, "must look like 123456:ABC-DEF… (from @BotFather)"),
    TELEGRAM_API_ROOT: z.url().optional(),
    REDIS_URL: z.url().optional(),
    // A Sentinel set instead of REDIS_URL: ioredis asks the sentinels where the primary is, and again after a failover.
    REDIS_SENTINELS: sentinelList.optional(),
    REDIS_SENTINEL_NAME: z.string().regex(/^\S+$/, "must be the master group name sentinel.conf monitors (e.g. mymaster), without spaces").optional(),
    REDIS_PASSWORD: z.string().optional(),
    REDIS_SENTINEL_PASSWORD: z.string().optional(),
    REDIS_DB: z.coerce.number().int().min(0).optional(),
    PSEUDONYM_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(1800),
    DEFAULT_LANGUAGE: z.enum(LANGUAGES).default("en"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    DIRECTORY_MAX_AGE_DAYS: z.coerce.number().int().positive().default(180),
    QUICK_EXIT_LINE: z.stringbool().default(true),
    WEBHOOK_URL: z.url({ protocol: /^https$/ }).optional(),
    WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16–256 characters of A-Z, a-z, 0-9, _ and -").optional(),
    HTTP_PORT: z.coerce.number().int().min(1).max(65_535).default(8080),
    METRICS_TOKEN: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16–256 characters of A-Z, a-z, 0-9, _ and -").optional(),
    FLOOD_LIMIT: z.coerce.number().int().min(3).default(20),
    OPERATOR_GROUPS: z.string().optional(),
    OPERATOR_HOURS: z.string().optional(),
    OPERATOR_TAKE_TIMEOUT: z.coerce.number().int().min(1).max(1440).default(10),
    CASE_RETENTION_HOURS: z.coerce.number().int().min(0).max(720).default(24),
  });

export type Config = z.infer<typeof configSchema> & {
  /** OPERATOR_GROUPS and OPERATOR_HOURS, parsed (no groups: "talk to a person" shows the hotlines). */
  handoff: HandoffConfig;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; throws one ConfigError that lists every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings in .env files mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = configSchema.safeParse(cleaned);
  const lines = parsed.success ? [] : parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(environment)"} ${i.message}`);
  // Checked apart from the schema so it is reported together with every other problem.
  // Which Redis: one URL, or a Sentinel set (its list and its master group's name go together).
  for (const other of ["REDIS_SENTINELS", "REDIS_SENTINEL_NAME"] as const) {
    if (cleaned.REDIS_URL && cleaned[other]) {
      lines.push(`  - REDIS_URL and ${other} are both set, so which Redis to use is ambiguous: set REDIS_URL for one Redis, or REDIS_SENTINELS with REDIS_SENTINEL_NAME for a Sentinel set`);
    }
  }
  if (cleaned.REDIS_SENTINELS && !cleaned.REDIS_SENTINEL_NAME) {
    lines.push("  - REDIS_SENTINEL_NAME is required when REDIS_SENTINELS is set: the master group name sentinel.conf monitors (e.g. mymaster)");
  }
  if (cleaned.REDIS_SENTINEL_NAME && !cleaned.REDIS_SENTINELS) {
    lines.push("  - REDIS_SENTINELS is required when REDIS_SENTINEL_NAME is set: host:port of each sentinel, comma-separated");
  }
  for (const name of ["REDIS_PASSWORD", "REDIS_SENTINEL_PASSWORD", "REDIS_DB"] as const) {
    if (cleaned[name] && !cleaned.REDIS_SENTINELS) {
      lines.push(`  - ${name} applies only with REDIS_SENTINELS (with REDIS_URL the password and database go in the URL: redis://:password@host:6379/0)`);
    }
  }
  const redis = cleaned.REDIS_URL ? "REDIS_URL" : cleaned.REDIS_SENTINELS ? "REDIS_SENTINELS" : undefined;
  if (redis && !cleaned.PSEUDONYM_SECRET) {
    lines.push(`  - PSEUDONYM_SECRET is required when ${redis} is set (at least 32 characters), so pseudonyms survive restarts`);
  }
  if (cleaned.WEBHOOK_URL && !cleaned.WEBHOOK_SECRET) {
    lines.push("  - WEBHOOK_SECRET is required when WEBHOOK_URL is set, so only Telegram can post updates");
  }
  let handoff: HandoffConfig | undefined;
  try {
    // Parsed even when other settings are wrong, so its problems are listed with theirs.
    const d = parsed.data;
    handoff = parseHandoffConfig(cleaned.OPERATOR_GROUPS, cleaned.OPERATOR_HOURS, d?.OPERATOR_TAKE_TIMEOUT ?? 10, d?.CASE_RETENTION_HOURS ?? 24, d?.DEFAULT_LANGUAGE ?? "en");
  } catch (error) {
    lines.push(`  - ${(error as Error).message}`);
  }
  if (!parsed.success || !handoff || lines.length) {
    throw new ConfigError(`The configuration has ${lines.length} problem(s):\n${lines.join("\n")}`);
  }
  return { ...parsed.data, handoff };
}
