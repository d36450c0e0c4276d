import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { MemorySeatLockStore } from "../src/locks/memory-seat-lock-store.ts";
import { RedisSeatLockStore } from "../src/locks/redis-seat-lock-store.ts";
import type { SeatLockStore } from "../src/locks/seat-lock-store.ts";

/** One contract, two implementations: real Redis (production and every invariant test) and memory (embedded). */
const redis = new Redis(process.env.REDIS_URL || "redis://127.0.0.1:6379", { lazyConnect: false });
afterAll(() => redis.quit());

describe.each([
  ["Redis", () => new RedisSeatLockStore(redis) as SeatLockStore],
  ["memory", () => new MemorySeatLockStore() as SeatLockStore],
])("seat locks (%s)", (_name, make) => {
  let store: SeatLockStore;
  let eventId: string;
  beforeEach(() => {
    store = make();
    eventId = randomUUID();
  });

  it("takes all seats or none, naming the conflicting ones", async () => {
    const first = await store.acquire(eventId, ["a", "b"], "alice", 60_000);
    expect(first).toEqual({ acquired: true, token: 1n, previous: new Map() });
    expect(await store.acquire(eventId, ["c", "b", "d"], "bob", 60_000)).toEqual({
      acquired: false,
      conflictingSeatIds: ["b"],
    });
    expect(await store.holder(eventId, "c")).toBeNull(); // nothing partial was left behind
    expect(await store.acquire(eventId, ["c", "d"], "bob", 60_000)).toEqual({
      acquired: true,
      token: 2n,
      previous: new Map(),
    });
  });

  it("lets the same user re-select with a new, larger token", async () => {
    await store.acquire(eventId, ["a"], "alice", 60_000);
    const again = await store.acquire(eventId, ["a", "b"], "alice", 60_000);
    expect(again).toEqual({ acquired: true, token: 2n, previous: new Map([["a", 1n]]) });
    expect(await store.holder(eventId, "a")).toEqual({ userId: "alice", token: 2n });
  });

  it("releases only locks still carrying the releaser's token", async () => {
    await store.acquire(eventId, ["a"], "alice", 60_000);
    await store.acquire(eventId, ["a"], "alice", 60_000); // token 2 now
    expect(await store.release(eventId, ["a"], 1n)).toBe(0);
    expect(await store.holder(eventId, "a")).toEqual({ userId: "alice", token: 2n });
    expect(await store.release(eventId, ["a"], 2n)).toBe(1);
    expect(await store.holder(eventId, "a")).toBeNull();
  });

  it("expires locks after their TTL, so another user can take the seat with a larger token", async () => {
    await store.acquire(eventId, ["a"], "alice", 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.acquire(eventId, ["a"], "bob", 60_000)).toEqual({
      acquired: true,
      token: 2n,
      previous: new Map(),
    });
  });

  it("lets exactly one of 200 concurrent requests take a seat", async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.acquire(eventId, ["hot"], `user-${i}`, 60_000)),
    );
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
  });
});
