import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import {
  type EventDirectory,
  MemoryEventDirectory,
  RedisEventDirectory,
} from "../src/store/event-directory.ts";

/**
 * Fan-club tiers as the queue keeps them from membership-events, in Redis and in memory alike:
 * the newest revision of a membership wins whatever order its events arrive in.
 */
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
let redis: Redis;
beforeAll(() => {
  redis = new Redis(REDIS_URL, { keyPrefix: `urr:test:directory:${randomUUID()}:` });
});
afterAll(() => redis.quit());

describe.each([
  ["Redis", () => new RedisEventDirectory(redis)],
  ["memory", () => new MemoryEventDirectory()],
] as [string, () => EventDirectory][])("%s directory", (_name, create) => {
  it("keeps a membership's newest tier and ignores older or repeated states", async () => {
    const directory = create();
    const [artistId, userId] = [randomUUID(), randomUUID()];
    const at = (days: number) => new Date(Date.UTC(2027, 0, 1) + days * 86_400_000);
    expect(
      await directory.saveTier(artistId, userId, { tier: "SILVER", expiresAt: at(365), revision: 2 }),
    ).toBe(true);
    expect(
      await directory.saveTier(artistId, userId, { tier: "GOLD", expiresAt: at(365), revision: 5 }),
    ).toBe(true);
    // A late SILVER (revision 3) and a repeat of revision 5 change nothing.
    expect(
      await directory.saveTier(artistId, userId, { tier: "SILVER", expiresAt: at(365), revision: 3 }),
    ).toBe(false);
    expect(await directory.saveTier(artistId, userId, { tier: "GOLD", expiresAt: at(1), revision: 5 })).toBe(
      false,
    );
    expect(await directory.tier(artistId, userId)).toEqual({ tier: "GOLD", expiresAt: at(365), revision: 5 });
    expect(
      await directory.saveTier(artistId, userId, { tier: "DIAMOND", expiresAt: at(730), revision: 12 }),
    ).toBe(true);
    expect(await directory.tier(artistId, userId)).toEqual({
      tier: "DIAMOND",
      expiresAt: at(730),
      revision: 12,
    });
    expect(await directory.tier(artistId, randomUUID())).toBeNull();
  });
});
