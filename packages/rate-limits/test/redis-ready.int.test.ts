import { createRateLimitRedis, whenRedisReady } from "../src/index.ts";

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";

describe("whenRedisReady", () => {
  it("resolves true once a reachable Redis is ready, false after the bound for one that is not", async () => {
    const live = createRateLimitRedis(REDIS_URL);
    const dead = createRateLimitRedis("redis://127.0.0.1:1");
    try {
      expect(await whenRedisReady(live, 5_000)).toBe(true);
      expect(await whenRedisReady(live, 5_000)).toBe(true);
      const started = Date.now();
      expect(await whenRedisReady(dead, 300)).toBe(false);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      live.disconnect();
      dead.disconnect();
    }
  });
});
