import type Redis from "ioredis";
import type { LimitsPerMinute, RateLimitCategory } from "./categories.ts";
import type { RateLimitDecision, RateLimiter } from "./decision.ts";
import { RedisScript } from "./redis-script.ts";
import { decisionOf, SLOT_MS, WINDOW_SLOTS } from "./sliding-window.ts";

const SLIDING_WINDOW = RedisScript.fromFile("sliding-window.lua");

export interface RedisRateLimiterOptions {
  limits: LimitsPerMinute;
  /** Prepended to every key; tests use a unique one. */
  keyPrefix?: string;
  /**
   * Milliseconds since the epoch. The callers' clock rather than Redis TIME, so this limiter and the
   * in-process one answer the same cases; replicas' clocks differ by milliseconds, a 20 ms slot at
   * most (GENERAL's pace), against one-second slots.
   */
  clock?: () => number;
}

/**
 * The limiter shared by every gateway replica: one hash per category and subject, read and
 * written by one Lua script, so concurrent takes on any replica are counted one after the other.
 * Rejects when Redis does not answer; the outage policy (PolicyRateLimiter) decides what then.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly keyPrefix: string;
  private readonly clock: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisRateLimiterOptions,
  ) {
    this.keyPrefix = options.keyPrefix ?? "urr:rl:";
    this.clock = options.clock ?? Date.now;
  }

  async take(subject: string, category: RateLimitCategory): Promise<RateLimitDecision> {
    const limit = this.options.limits[category];
    const reply = (await SLIDING_WINDOW.run(
      this.redis,
      [`${this.keyPrefix}${category}:${subject}`],
      [this.clock(), limit, SLOT_MS, WINDOW_SLOTS],
    )) as [number, number, number, number];
    const [allowed, remaining, resetMs, retryMs] = reply;
    return decisionOf({ allowed: allowed === 1, remaining, resetMs, retryMs }, category, limit, "redis");
  }
}
