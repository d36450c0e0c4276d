import { DEFAULT_LIMITS_PER_MINUTE, MemoryQuotas, MemoryRateLimiter } from "../src/index.ts";
import { manualClock } from "./support/redis.ts";

it("forgets subjects idle for a minute as new calls arrive", async () => {
  const clock = manualClock();
  const limiter = new MemoryRateLimiter({ limits: DEFAULT_LIMITS_PER_MINUTE, clock: clock.now });
  for (let i = 0; i < 500; i++) await limiter.take(`ip:198.51.100.${i % 250}-${i}`, "GENERAL");
  expect(limiter.size).toBe(500);
  clock.set(30_000);
  await limiter.take("user:active", "GENERAL");
  expect(limiter.size).toBe(501);
  clock.set(61_000);
  await limiter.take("user:late", "GENERAL");
  // The 500 counted nothing in the last minute; the two recent ones stay.
  expect(limiter.size).toBe(2);
});

it("never keeps more than maxSubjects, dropping the least recently seen", async () => {
  const clock = manualClock();
  const limiter = new MemoryRateLimiter({
    limits: DEFAULT_LIMITS_PER_MINUTE,
    maxSubjects: 100,
    clock: clock.now,
  });
  await limiter.take("user:regular", "BOOKING");
  for (let i = 0; i < 10_000; i++) {
    if (i % 50 === 0) await limiter.take("user:regular", "BOOKING");
    await limiter.take(`ip:attacker-${i}`, "GENERAL");
  }
  expect(limiter.size).toBeLessThanOrEqual(100);
  // Seen recently, so still counted: 1 + 200 takes, of which 30 were allowed.
  await expect(limiter.take("user:regular", "BOOKING")).resolves.toMatchObject({ allowed: false });
});

it("in-process quotas are bounded too", async () => {
  const quotas = new MemoryQuotas({ maxKeys: 10 });
  for (let i = 0; i < 100; i++) await quotas.consumeQuota(`key-${i}`, { perMinute: 5, perDay: 5 });
  expect(await quotas.usage("key-99")).toEqual({ minute: 1, day: 1 });
  expect(await quotas.usage("key-0")).toEqual({ minute: 0, day: 0 });
});
