import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type Redis from "ioredis";
import { createRateLimitRedis } from "../../src/index.ts";

export const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";

/**
 * Commands of these tests may wait behind the rest of `npm test` on a loaded 2-core machine (CI
 * once saw the 150 ms default time out on a cleanup). The timeout itself is tested against a Redis
 * that never answers (outage-policy.int.test.ts), not by hoping a busy one is quick.
 */
const TEST_COMMAND_TIMEOUT_MS = 5_000;

/**
 * A fail-fast connection as the gateway makes one (no offline queue, no retries), with a test's
 * command timeout; resolved once it is ready.
 */
export async function connectRedis(url = REDIS_URL): Promise<Redis> {
  const redis = createRateLimitRedis(url, { commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS });
  if (redis.status !== "ready") await once(redis, "ready");
  return redis;
}

/** A key prefix no other test (or test run) shares. */
export const uniquePrefix = () => `test:rate-limits:${randomUUID()}:`;

/** Deletes a test's keys, in SCAN pages (KEYS would block Redis for everyone else meanwhile). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.del(...keys);
  }
}

/** A clock the test moves by hand, starting on a whole second (so slots are predictable). */
export function manualClock(start = Date.UTC(2026, 10, 23, 12, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    set: (offsetMs: number) => {
      now = start + offsetMs;
    },
    start,
  };
}
