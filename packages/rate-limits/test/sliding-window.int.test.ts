import { randomUUID } from "node:crypto";
import type Redis from "ioredis";
import {
  DEFAULT_LIMITS_PER_MINUTE,
  MemoryRateLimiter,
  type RateLimitCategory,
  type RateLimiter,
  RedisRateLimiter,
} from "../src/index.ts";
import { RedisScript } from "../src/redis-script.ts";
import { connectRedis, deleteKeys, manualClock, uniquePrefix } from "./support/redis.ts";

/**
 * One table of cases, run against the in-process limiter and the Redis one with the same clock:
 * the two must give the same answers (same algorithm, in TypeScript and in Lua).
 */
interface Step {
  /** Milliseconds after the start (a whole second). */
  at: number;
  category?: RateLimitCategory;
  subject?: string;
  /** Takes in a row at that moment. */
  times?: number;
  expect: { allowed: boolean; remaining?: number; resetSeconds?: number; retryAfterSeconds?: number };
}

const LIMITS = { ...DEFAULT_LIMITS_PER_MINUTE, AUTH: 3 };

const cases: [string, Step[]][] = [
  [
    "30 BOOKING calls at once pass, the 31st is refused for the rest of the minute",
    [
      { at: 500, category: "BOOKING", times: 29, expect: { allowed: true } },
      { at: 500, category: "BOOKING", expect: { allowed: true, remaining: 0, resetSeconds: 60 } },
      { at: 500, category: "BOOKING", expect: { allowed: false, remaining: 0, retryAfterSeconds: 60 } },
      { at: 30_000, category: "BOOKING", expect: { allowed: false, retryAfterSeconds: 30 } },
      { at: 59_999, category: "BOOKING", expect: { allowed: false, retryAfterSeconds: 1 } },
      // The first second's slot has left: the 30 calls free up together.
      { at: 60_000, category: "BOOKING", expect: { allowed: true, remaining: 29, resetSeconds: 60 } },
    ],
  ],
  [
    "refused calls are not counted: a client that keeps trying still gets its limit each minute",
    [
      { at: 0, category: "AUTH", times: 3, expect: { allowed: true } },
      { at: 1_000, category: "AUTH", times: 50, expect: { allowed: false } },
      { at: 60_000, category: "AUTH", times: 3, expect: { allowed: true } },
      { at: 60_000, category: "AUTH", expect: { allowed: false, retryAfterSeconds: 60 } },
    ],
  ],
  [
    "the window slides: calls free up one second-slot at a time, oldest first",
    [
      { at: 0, category: "AUTH", expect: { allowed: true, remaining: 2, resetSeconds: 60 } },
      { at: 20_000, category: "AUTH", expect: { allowed: true, remaining: 1, resetSeconds: 40 } },
      { at: 40_500, category: "AUTH", expect: { allowed: true, remaining: 0, resetSeconds: 20 } },
      { at: 50_000, category: "AUTH", expect: { allowed: false, retryAfterSeconds: 10, resetSeconds: 10 } },
      { at: 60_000, category: "AUTH", expect: { allowed: true, remaining: 0, resetSeconds: 20 } },
      { at: 61_000, category: "AUTH", expect: { allowed: false, retryAfterSeconds: 19 } },
      { at: 80_000, category: "AUTH", expect: { allowed: true, remaining: 0 } },
      { at: 99_400, category: "AUTH", expect: { allowed: false, retryAfterSeconds: 1 } },
      { at: 100_000, category: "AUTH", expect: { allowed: true, remaining: 0 } },
    ],
  ],
  [
    "categories and subjects are counted apart",
    [
      { at: 0, category: "AUTH", times: 3, expect: { allowed: true } },
      { at: 0, category: "AUTH", expect: { allowed: false } },
      { at: 0, category: "QUEUE", expect: { allowed: true, remaining: 119 } },
      { at: 0, category: "AUTH", subject: "ip:203.0.113.9", expect: { allowed: true, remaining: 2 } },
      { at: 0, category: "GENERAL", expect: { allowed: true, remaining: 2999 } },
    ],
  ],
  [
    "a long quiet spell forgets everything",
    [
      { at: 0, category: "AUTH", times: 3, expect: { allowed: true } },
      { at: 3_600_000, category: "AUTH", expect: { allowed: true, remaining: 2, resetSeconds: 60 } },
    ],
  ],
];

type Factory = (clock: () => number) => RateLimiter;
let redis: Redis;
const prefixes: string[] = [];

beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  redis.disconnect();
});

const implementations: [string, Factory][] = [
  ["in-process", (clock) => new MemoryRateLimiter({ limits: LIMITS, clock })],
  [
    "Redis",
    (clock) => {
      const keyPrefix = uniquePrefix();
      prefixes.push(keyPrefix);
      return new RedisRateLimiter(redis, { limits: LIMITS, keyPrefix, clock });
    },
  ],
];

describe.each(implementations)("the %s limiter", (_name, create) => {
  it.each(cases)("%s", async (_title, steps) => {
    const clock = manualClock();
    const limiter = create(clock.now);
    for (const [index, step] of steps.entries()) {
      clock.set(step.at);
      for (let i = 0; i < (step.times ?? 1); i++) {
        const decision = await limiter.take(step.subject ?? "user:u1", step.category ?? "BOOKING");
        expect({ step: index, ...decision }).toMatchObject({ step: index, ...step.expect });
        expect(decision.retryAfterSeconds === 0).toBe(decision.allowed);
      }
    }
  });
});

it("the Redis limiter keeps a subject's slots in one hash that expires with its newest slot", async () => {
  const keyPrefix = uniquePrefix();
  prefixes.push(keyPrefix);
  const limiter = new RedisRateLimiter(redis, { limits: LIMITS, keyPrefix });
  await limiter.take("user:ttl", "BOOKING");
  const ttl = await redis.pttl(`${keyPrefix}BOOKING:user:ttl`);
  expect(ttl).toBeGreaterThan(59_000);
  expect(ttl).toBeLessThanOrEqual(60_000);
  expect(await redis.hlen(`${keyPrefix}BOOKING:user:ttl`)).toBe(1);
});

it("a script Redis does not know yet is loaded and run (EVALSHA → NOSCRIPT → SCRIPT LOAD → EVALSHA)", async () => {
  // A script with unique text stands for one Redis forgot (a restart, SCRIPT FLUSH, a new replica)
  // without flushing the cache every other test on this Redis relies on.
  const script = new RedisScript(`-- ${randomUUID()}\nreturn ARGV[1] + 1`);
  expect(await redis.script("EXISTS", script.sha)).toEqual([0]);
  await expect(script.run(redis, [], [41])).resolves.toBe(42);
  expect(await redis.script("EXISTS", script.sha)).toEqual([1]);
  await expect(script.run(redis, [], [1])).resolves.toBe(2);
});
