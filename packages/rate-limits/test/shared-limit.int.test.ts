import type Redis from "ioredis";
import { DEFAULT_LIMITS_PER_MINUTE, RateLimitedError, RedisRateLimiter } from "../src/index.ts";
import { connectRedis, deleteKeys, uniquePrefix } from "./support/redis.ts";

/**
 * Two limiters on two connections stand for two gateway replicas sharing one Redis. The takes are
 * sent concurrently (each connection pipelines its half), so a read-then-write limiter would let
 * every one of them read the same count.
 */
let replicaA: Redis;
let replicaB: Redis;
let keyPrefix: string;

beforeAll(async () => {
  [replicaA, replicaB] = await Promise.all([connectRedis(), connectRedis()]);
});
beforeEach(() => {
  keyPrefix = uniquePrefix();
});
afterEach(async () => {
  await deleteKeys(replicaA, keyPrefix);
});
afterAll(() => {
  replicaA.disconnect();
  replicaB.disconnect();
});

const limiters = () => [
  new RedisRateLimiter(replicaA, { limits: DEFAULT_LIMITS_PER_MINUTE, keyPrefix }),
  new RedisRateLimiter(replicaB, { limits: DEFAULT_LIMITS_PER_MINUTE, keyPrefix }),
];

it("100 concurrent BOOKING takes over two replicas: exactly 30 are allowed", async () => {
  const [a, b] = limiters();
  const decisions = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      ((i % 2 === 0 ? a : b) as RedisRateLimiter).take("user:fan", "BOOKING"),
    ),
  );
  const allowed = decisions.filter((d) => d.allowed);
  expect(allowed).toHaveLength(30);
  // Each allowed take saw a different count: remaining 29 down to 0, once each.
  expect(allowed.map((d) => d.remaining).sort((x, y) => x - y)).toEqual(
    Array.from({ length: 30 }, (_, i) => i),
  );
  for (const refused of decisions.filter((d) => !d.allowed)) {
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  }
});

it("the 31st BOOKING call in a minute is refused whichever replica takes it", async () => {
  const [a, b] = limiters() as [RedisRateLimiter, RedisRateLimiter];
  for (let i = 0; i < 30; i++) {
    const decision = await (i % 3 === 0 ? b : a).take("user:fan", "BOOKING");
    expect(decision).toMatchObject({ allowed: true, remaining: 29 - i });
  }
  for (const replica of [a, b]) {
    const refused = await replica.take("user:fan", "BOOKING");
    expect(refused.allowed).toBe(false);
    const error = new RateLimitedError(refused);
    expect(error.extensions).toMatchObject({ code: "RATE_LIMITED", category: "BOOKING", limit: 30 });
    expect(error.extensions.retryAfterSeconds).toBeGreaterThan(0);
  }
  // Another fan, and another category of the same fan, are untouched.
  await expect(a.take("user:other", "BOOKING")).resolves.toMatchObject({ allowed: true, remaining: 29 });
  await expect(b.take("user:fan", "QUEUE")).resolves.toMatchObject({ allowed: true, remaining: 119 });
});

it("each category's limit holds across replicas under concurrency", async () => {
  const [a, b] = limiters() as [RedisRateLimiter, RedisRateLimiter];
  for (const [category, limit] of [
    ["AUTH", 60],
    ["QUEUE", 120],
  ] as const) {
    const decisions = await Promise.all(
      Array.from({ length: limit + 40 }, (_, i) => (i % 2 ? a : b).take("ip:198.51.100.7", category)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(limit);
  }
});
