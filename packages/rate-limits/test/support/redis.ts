import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type Redis from "ioredis";
import { createRateLimitRedis } from "../../src/index.ts";

export const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";

/** A fail-fast connection (as the gateway would make one), resolved once it is ready. */
export async function connectRedis(url = REDIS_URL): Promise<Redis> {
  const redis = createRateLimitRedis(url);
  if (redis.status !== "ready") await once(redis, "ready");
  return redis;
}

/** A key prefix no other test (or test run) shares. */
export const uniquePrefix = () => `test:rate-limits:${randomUUID()}:`;

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
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
