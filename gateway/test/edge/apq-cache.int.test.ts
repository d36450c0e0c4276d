import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { type ApqCache, MemoryApqCache, RedisApqCache } from "../../src/edge/apq-cache.ts";

/** One contract, two implementations: Redis (shared by replicas) and memory (embedded). */
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PREFIX = `test:${randomUUID()}:apq:`;
const connections: Redis[] = [];
const connect = () => {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  return redis;
};
afterAll(async () => {
  const plain = connect();
  const keys = await plain.keys(`${PREFIX}*`);
  if (keys.length > 0) await plain.del(...keys);
  await Promise.all(connections.map((c) => c.quit()));
});

let clock = 1_000_000;
const now = () => clock;

describe.each<[string, (maxEntries: number, prefix: string) => ApqCache]>([
  ["memory", (maxEntries) => new MemoryApqCache({ ttlSeconds: 60, maxEntries }, now)],
  [
    "redis",
    (maxEntries, prefix) => new RedisApqCache(connect(), { ttlSeconds: 60, maxEntries }, prefix, now),
  ],
])("%s APQ cache", (_name, create) => {
  it("keeps the most recently used texts up to its bound", async () => {
    const cache = create(3, `${PREFIX}${randomUUID()}:`);
    for (const hash of ["a", "b", "c"]) {
      clock += 1;
      await cache.set(hash, `{ ${hash} }`);
    }
    clock += 1;
    expect(await cache.get("a")).toBe("{ a }"); // a is now the most recent
    clock += 1;
    await cache.set("d", "{ d }");
    expect(await cache.get("b")).toBeUndefined();
    expect(await Promise.all(["a", "c", "d"].map((h) => cache.get(h)))).toEqual(["{ a }", "{ c }", "{ d }"]);
  });
});

describe("redis APQ cache shared by replicas", () => {
  it("a text learnt through one replica is served by another", async () => {
    const prefix = `${PREFIX}${randomUUID()}:`;
    const one = new RedisApqCache(connect(), { ttlSeconds: 60, maxEntries: 10 }, prefix);
    const two = new RedisApqCache(connect(), { ttlSeconds: 60, maxEntries: 10 }, prefix);
    await one.set("h1", "{ __typename }");
    expect(await two.get("h1")).toBe("{ __typename }");
  });

  it("never holds more than its bound when two replicas store 400 texts at once", async () => {
    const prefix = `${PREFIX}${randomUUID()}:`;
    const replicas = [connect(), connect()].map(
      (r) => new RedisApqCache(r, { ttlSeconds: 60, maxEntries: 50 }, prefix),
    );
    await Promise.all(Array.from({ length: 400 }, (_, i) => replicas[i % 2]?.set(`hash-${i}`, `{ q${i} }`)));
    const plain = connect();
    expect(await plain.keys(`${prefix}q:*`)).toHaveLength(50);
    expect(await plain.zcard(`${prefix}index`)).toBe(50);
    expect(await plain.ttl(`${prefix}q:hash-399`)).toBeGreaterThan(50);
  });
});
