import { once } from "node:events";
import { freePort } from "@urr/testkit";
import type Redis from "ioredis";
import {
  createRateLimitRedis,
  DEFAULT_LIMITS_PER_MINUTE,
  MemoryQuotas,
  MemoryRateLimiter,
  PolicyQuotas,
  PolicyRateLimiter,
  RateLimiterUnavailableError,
  RedisQuotas,
  RedisRateLimiter,
  rateLimitHeaders,
} from "../src/index.ts";
import { startSilentRedis } from "./support/silent-redis.ts";

/** The policies with the default per-category choices, over a store that cannot answer. */
function limiterOver(redis: Redis) {
  const limits = DEFAULT_LIMITS_PER_MINUTE;
  return new PolicyRateLimiter({
    store: new RedisRateLimiter(redis, { limits }),
    local: new MemoryRateLimiter({ limits }),
    limits,
  });
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T | unknown }> {
  const started = performance.now();
  const result = await run().catch((error: unknown) => error);
  return { ms: performance.now() - started, result };
}

describe("Redis on a closed port", () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = createRateLimitRedis(`redis://127.0.0.1:${await freePort()}`);
    // Let it try (and fail) to connect at least once: the steady state of an outage.
    await once(redis, "error");
  });
  afterAll(() => redis.disconnect());

  it("BOOKING and QUEUE fail closed: SERVICE_UNAVAILABLE, RATE_LIMITER_UNAVAILABLE, retryable, at once", async () => {
    const limiter = limiterOver(redis);
    for (const category of ["BOOKING", "QUEUE"] as const) {
      const { ms, result } = await timed(() => limiter.take("user:fan", category));
      expect(result).toBeInstanceOf(RateLimiterUnavailableError);
      const error = result as RateLimiterUnavailableError;
      expect(error.extensions).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        reason: "RATE_LIMITER_UNAVAILABLE",
        retryAfterSeconds: 5,
        category,
        http: { status: 503 },
      });
      expect(ms).toBeLessThan(50);
    }
    expect(limiter.storeDownCounts.BOOKING.closed).toBe(1);
    expect(limiter.storeDownCounts.QUEUE.closed).toBe(1);
  });

  it("AUTH falls back to this replica's own count, which still caps guessing at 60 a minute", async () => {
    const limiter = limiterOver(redis);
    const decisions = [];
    for (let i = 0; i < 61; i++) decisions.push(await limiter.take("ip:203.0.113.5", "AUTH"));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(60);
    expect(decisions[60]).toMatchObject({ allowed: false, source: "memory", retryAfterSeconds: 60 });
    expect(limiter.storeDownCounts.AUTH.local).toBe(61);
  });

  it("GENERAL fails open: allowed, uncounted, no RateLimit headers, and the outage is counted", async () => {
    const limiter = limiterOver(redis);
    for (let i = 0; i < 5; i++) {
      const decision = await limiter.take("ip:203.0.113.5", "GENERAL");
      expect(decision).toMatchObject({ allowed: true, source: "unchecked" });
      expect(rateLimitHeaders(decision)).toEqual({});
    }
    expect(limiter.storeDownCounts.GENERAL.open).toBe(5);
  });

  it("API-key quotas fall back to this replica's count by default", async () => {
    const quotas = new PolicyQuotas({ store: new RedisQuotas(redis), local: new MemoryQuotas() });
    const quota = { perMinute: 2, perDay: 100 };
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await quotas.consumeQuota("key-1", quota));
    expect(answers.map((a) => a.allowed)).toEqual([true, true, false]);
    expect(answers[2]).toMatchObject({ refusedBy: "minute", source: "memory" });
    expect(quotas.storeDownCounts.QUOTA.local).toBe(3);
  });
});

describe("a Redis that accepts connections but never answers", () => {
  let silent: Awaited<ReturnType<typeof startSilentRedis>>;
  let redis: Redis;

  beforeAll(async () => {
    silent = await startSilentRedis();
    redis = createRateLimitRedis(silent.url, { commandTimeoutMs: 150 });
    await once(redis, "ready");
  });
  afterAll(async () => {
    redis.disconnect();
    await silent.close();
  });

  it("is noticed by the command timeout: each policy answers within about 150 ms", async () => {
    const limiter = limiterOver(redis);
    const closed = await timed(() => limiter.take("user:fan", "BOOKING"));
    expect(closed.result).toBeInstanceOf(RateLimiterUnavailableError);
    const local = await timed(() => limiter.take("user:fan", "AUTH"));
    expect(local.result).toMatchObject({ allowed: true, source: "memory" });
    const open = await timed(() => limiter.take("user:fan", "GENERAL"));
    expect(open.result).toMatchObject({ allowed: true, source: "unchecked" });
    for (const { ms } of [closed, local, open]) {
      expect(ms).toBeGreaterThanOrEqual(140);
      expect(ms).toBeLessThan(400);
    }
  });
});
