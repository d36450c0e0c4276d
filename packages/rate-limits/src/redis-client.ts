import type { Logger } from "@urr/logger";
import Redis from "ioredis";

/** Long enough for a loaded Redis on the same network, short enough that an outage costs little. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 150;

export interface RateLimitRedisOptions {
  commandTimeoutMs?: number;
  logger?: Logger;
}

/**
 * A Redis connection for the limiter that fails fast: no offline queue (a command while
 * disconnected rejects at once instead of waiting for a reconnect), no per-command retries, and a
 * command timeout for a Redis that accepts connections but does not answer. A dead Redis thus adds
 * at most the timeout to a request, and the category's outage policy answers. Logs the transitions
 * (down, back), not every reconnect attempt.
 */
export function createRateLimitRedis(url: string, options: RateLimitRedisOptions = {}): Redis {
  const timeout = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeout,
    connectTimeout: Math.max(1000, timeout * 5),
    // Reconnect soon, then every two seconds at most; commands meanwhile follow the outage policy.
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
  });
  let down = false;
  redis.on("error", (err) => {
    if (down) return;
    down = true;
    options.logger?.warn({ err }, "rate limits: Redis unavailable, categories follow their outage policies");
  });
  redis.on("ready", () => {
    if (!down) return;
    down = false;
    options.logger?.info("rate limits: Redis is back");
  });
  return redis;
}

/**
 * Resolves once the connection is ready, or after `timeoutMs` (resolving false): a replica that
 * starts serving before its Redis connection is up would answer its first calls by the outage
 * policies (a BOOKING refused with 503 in its first milliseconds). A Redis that is really away
 * must not keep the replica from starting, hence the bound.
 */
export function whenRedisReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once("ready", onReady);
  });
}
