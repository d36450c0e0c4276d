import type { Redis } from "ioredis";

/**
 * Automatic persisted queries: query texts by their sha256, learnt from clients. Shared in Redis
 * across gateway replicas (a client that registered a hash through one replica is served by the
 * next), in-process in embedded mode. Bounded both ways: each entry expires, and the number of
 * entries is capped (the oldest go first), so a client inventing hashes cannot fill memory.
 */
export interface ApqCache {
  get(hash: string): Promise<string | undefined>;
  set(hash: string, query: string): Promise<void>;
}

export interface ApqBounds {
  readonly ttlSeconds: number;
  readonly maxEntries: number;
}

/** In-process: a Map in insertion order is an LRU once a hit re-inserts its key. */
export class MemoryApqCache implements ApqCache {
  private readonly entries = new Map<string, { query: string; expiresAt: number }>();

  constructor(
    private readonly bounds: ApqBounds,
    private readonly now: () => number = Date.now,
  ) {}

  async get(hash: string): Promise<string | undefined> {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    this.entries.delete(hash);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(hash, entry);
    return entry.query;
  }

  async set(hash: string, query: string): Promise<void> {
    this.entries.delete(hash);
    this.entries.set(hash, { query, expiresAt: this.now() + this.bounds.ttlSeconds * 1000 });
    while (this.entries.size > this.bounds.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/**
 * Stores the text with a TTL and its hash in a sorted set scored by time of last use, trimmed to
 * the bound in the same script: atomic, so two replicas storing at once cannot overshoot it. A
 * read refreshes the score, which makes the trimming least-recently-used.
 */
const SET_SCRIPT = `
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if excess > 0 then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, excess - 1)
  for _, hash in ipairs(oldest) do redis.call('DEL', ARGV[6] .. hash) end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
end
return excess
`;

export class RedisApqCache implements ApqCache {
  constructor(
    private readonly redis: Redis,
    private readonly bounds: ApqBounds,
    private readonly prefix = "urr:apq:",
    private readonly now: () => number = Date.now,
  ) {
    redis.defineCommand("urrApqSet", { numberOfKeys: 2, lua: SET_SCRIPT });
  }

  private key(hash: string): string {
    return `${this.prefix}q:${hash}`;
  }

  private get index(): string {
    return `${this.prefix}index`;
  }

  async get(hash: string): Promise<string | undefined> {
    const query = await this.redis.get(this.key(hash));
    if (query === null) return undefined;
    // Recency for the trimming; the entry's own TTL is left as it was set.
    await this.redis.zadd(this.index, "XX", this.now(), hash);
    return query;
  }

  async set(hash: string, query: string): Promise<void> {
    const command = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)
      .urrApqSet as (...args: unknown[]) => Promise<unknown>;
    await command.call(
      this.redis,
      this.key(hash),
      this.index,
      query,
      this.bounds.ttlSeconds,
      this.now(),
      hash,
      this.bounds.maxEntries,
      `${this.prefix}q:`,
    );
  }
}
