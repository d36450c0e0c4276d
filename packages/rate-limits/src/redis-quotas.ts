import type Redis from "ioredis";
import {
  type ApiKeyQuotas,
  type Quota,
  type QuotaDecision,
  type QuotaUsage,
  quotaDecision,
  quotaWindows,
} from "./quotas.ts";
import { RedisScript } from "./redis-script.ts";

const API_KEY_QUOTA = RedisScript.fromFile("api-key-quota.lua");

/** Keys outlive their window a little, so `usage` still reads a window that just ended. */
const GRACE_MS = 60_000;

export interface RedisQuotasOptions {
  keyPrefix?: string;
  clock?: () => number;
}

/**
 * API-key quotas shared by every replica: one counter per key and window (`…:m:<epoch minute>`,
 * `…:d:<epoch day>`), both checked and incremented by one Lua script, so no replica can count a
 * call past either limit.
 */
export class RedisQuotas implements ApiKeyQuotas {
  private readonly keyPrefix: string;
  private readonly clock: () => number;

  constructor(
    private readonly redis: Redis,
    options: RedisQuotasOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? "urr:quota:";
    this.clock = options.clock ?? Date.now;
  }

  private keys(keyId: string, now: number): [string, string] {
    const { minute, day } = quotaWindows(now);
    return [`${this.keyPrefix}${keyId}:m:${minute}`, `${this.keyPrefix}${keyId}:d:${day}`];
  }

  async consumeQuota(keyId: string, quota: Quota): Promise<QuotaDecision> {
    const now = this.clock();
    const windows = quotaWindows(now);
    const [counted, minute, day] = (await API_KEY_QUOTA.run(this.redis, this.keys(keyId, now), [
      quota.perMinute,
      quota.perDay,
      windows.minuteEndsInMs + GRACE_MS,
      windows.dayEndsInMs + GRACE_MS,
    ])) as [number, number, number];
    // The script returns counts after counting; the shared check wants them before.
    const before = counted === 1 ? { minute: minute - 1, day: day - 1 } : { minute, day };
    return quotaDecision(quota, before, now, "redis").decision;
  }

  async usage(keyId: string): Promise<QuotaUsage> {
    const [minute, day] = await this.redis.mget(...this.keys(keyId, this.clock()));
    return { minute: Number(minute ?? 0), day: Number(day ?? 0) };
  }
}
