import type Redis from "ioredis";
import {
  type ApiKeyQuotas,
  MemoryQuotas,
  quotaHeaders,
  RateLimitedError,
  RedisQuotas,
} from "../src/index.ts";
import { connectRedis, deleteKeys, manualClock, uniquePrefix } from "./support/redis.ts";

let redis: Redis;
const prefixes: string[] = [];

beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  redis.disconnect();
});

const redisQuotas = (clock?: () => number) => {
  const keyPrefix = uniquePrefix();
  prefixes.push(keyPrefix);
  return new RedisQuotas(redis, { keyPrefix, ...(clock ? { clock } : {}) });
};

const implementations: [string, (clock: () => number) => ApiKeyQuotas][] = [
  ["in-process", (clock) => new MemoryQuotas({ clock })],
  ["Redis", redisQuotas],
];

describe.each(implementations)("%s API-key quotas", (_name, create) => {
  // 2026-11-23 23:58:00 UTC: two minutes before the UTC day ends.
  const clock = manualClock(Date.UTC(2026, 10, 23, 23, 58, 0));
  const quota = { perMinute: 3, perDay: 5 };

  it("count fixed minute and UTC-day windows, say which one refused and when it resets", async () => {
    const quotas = create(clock.now);
    clock.set(10_000);
    for (let i = 0; i < 3; i++) {
      const decision = await quotas.consumeQuota("key-a", quota);
      expect(decision).toMatchObject({ allowed: true, minute: { used: i + 1, remaining: 2 - i } });
    }
    const byMinute = await quotas.consumeQuota("key-a", quota);
    expect(byMinute).toMatchObject({
      allowed: false,
      refusedBy: "minute",
      retryAfterSeconds: 50,
      minute: { limit: 3, used: 3, remaining: 0, resetSeconds: 50 },
      day: { limit: 5, used: 3, remaining: 2, resetSeconds: 110 },
    });
    expect(await quotas.usage("key-a")).toEqual({ minute: 3, day: 3 });

    // The next minute: two more fit in the day, then the day refuses (until UTC midnight).
    clock.set(61_000);
    expect((await quotas.consumeQuota("key-a", quota)).allowed).toBe(true);
    expect(await quotas.consumeQuota("key-a", quota)).toMatchObject({ allowed: true, day: { remaining: 0 } });
    const byDay = await quotas.consumeQuota("key-a", quota);
    expect(byDay).toMatchObject({ allowed: false, refusedBy: "day", retryAfterSeconds: 59 });
    expect(await quotas.usage("key-a")).toEqual({ minute: 2, day: 5 });

    const error = new RateLimitedError(byDay);
    expect(error.extensions).toMatchObject({
      code: "RATE_LIMITED",
      quota: "day",
      limit: 5,
      retryAfterSeconds: 59,
    });
    expect(quotaHeaders(byDay)).toEqual({
      "RateLimit-Limit": "5",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "59",
      "RateLimit-Policy": "3;w=60, 5;w=86400",
      "Retry-After": "59",
    });

    // A new UTC day starts both windows over; another key never shared any of it.
    clock.set(120_000);
    expect(await quotas.consumeQuota("key-a", quota)).toMatchObject({ allowed: true, day: { used: 1 } });
    expect(await quotas.consumeQuota("key-b", quota)).toMatchObject({ allowed: true, minute: { used: 1 } });
  });
});

it("Redis quotas hold across two replicas under concurrency: exactly perMinute calls counted", async () => {
  const keyPrefix = uniquePrefix();
  prefixes.push(keyPrefix);
  const other = await connectRedis();
  try {
    const replicas = [new RedisQuotas(redis, { keyPrefix }), new RedisQuotas(other, { keyPrefix })];
    // Stay inside one clock minute, or the second minute would rightly allow more.
    const msIntoMinute = Date.now() % 60_000;
    if (msIntoMinute > 58_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - msIntoMinute));
    const decisions = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (replicas[i % 2] as RedisQuotas).consumeQuota("partner-1", { perMinute: 20, perDay: 1000 }),
      ),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
    expect(await replicas[0]?.usage("partner-1")).toEqual({ minute: 20, day: 20 });
  } finally {
    other.disconnect();
  }
});
