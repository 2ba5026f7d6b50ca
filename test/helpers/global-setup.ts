import Redis from "ioredis";

/**
 * Finds a Redis for the store tests: REDIS_URL, or a local server on the
 * default port. Without one the Redis tests report themselves skipped —
 * except under CI=true, where a missing Redis fails the run.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
    process.env.TEST_REDIS_URL = url;
  } catch {
    if (process.env.CI === "true") throw new Error(`CI=true but no Redis answers at ${url}: the store tests cannot run`);
    console.warn(`\n[tests] No Redis at ${url}: Redis store tests are skipped.\n`);
  } finally {
    client.disconnect();
  }
}
