import { SpanKind, withSpan } from "@urr/telemetry";
import type Redis from "ioredis";
import type { AcquireResult, SeatLockStore } from "./seat-lock-store.ts";

/*
 * Keys share the event's hash tag, so one script touches one cluster slot:
 *   urr:seat:{<eventId>}:<seatId>   hash { user, token }, expiring with the hold
 *   urr:seat-token:{<eventId>}      the event's fencing-token counter (monotonic)
 */
const seatKey = (eventId: string, seatId: string) => `urr:seat:{${eventId}}:${seatId}`;
const tokenKey = (eventId: string) => `urr:seat-token:{${eventId}}`;

// KEYS[1..n] seats, KEYS[n+1] token counter; ARGV[1] user, ARGV[2] ttl ms.
// Returns {1, token, {index, previous token, ...}} or {0, {indexes of conflicting seats}}.
const ACQUIRE = `
local n = #KEYS - 1
local conflicts = {}
local previous = {}
for i = 1, n do
  local lock = redis.call('HMGET', KEYS[i], 'user', 'token')
  if lock[1] then
    if lock[1] ~= ARGV[1] then
      conflicts[#conflicts + 1] = i
    else
      previous[#previous + 1] = i
      previous[#previous + 1] = lock[2]
    end
  end
end
if #conflicts > 0 then return {0, conflicts} end
local token = redis.call('INCR', KEYS[n + 1])
for i = 1, n do
  redis.call('HSET', KEYS[i], 'user', ARGV[1], 'token', token)
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
return {1, token, previous}
`;

// KEYS seats; ARGV[1] token. Deletes only locks still carrying the token.
const RELEASE = `
local released = 0
for i = 1, #KEYS do
  if redis.call('HGET', KEYS[i], 'token') == ARGV[1] then
    redis.call('DEL', KEYS[i])
    released = released + 1
  end
end
return released
`;

// KEYS seats; ARGV[1] user, ARGV[2] token, ARGV[3] ttl ms. Only where free or the user's own.
const RESTORE = `
for i = 1, #KEYS do
  local holder = redis.call('HGET', KEYS[i], 'user')
  if (not holder) or holder == ARGV[1] then
    redis.call('HSET', KEYS[i], 'user', ARGV[1], 'token', ARGV[2])
    redis.call('PEXPIRE', KEYS[i], ARGV[3])
  end
end
return 1
`;

export class RedisSeatLockStore implements SeatLockStore {
  constructor(private readonly redis: Redis) {
    redis.defineCommand("urrSeatAcquire", { lua: ACQUIRE });
    redis.defineCommand("urrSeatRelease", { lua: RELEASE });
    redis.defineCommand("urrSeatRestore", { lua: RESTORE });
  }

  async acquire(
    eventId: string,
    seatIds: readonly string[],
    userId: string,
    ttlMs: number,
  ): Promise<AcquireResult> {
    const keys = [...seatIds.map((id) => seatKey(eventId, id)), tokenKey(eventId)];
    const [ok, value, earlier] = (await this.command("urrSeatAcquire", keys, [userId, String(ttlMs)])) as [
      number,
      number | number[],
      (number | string)[] | undefined,
    ];
    if (ok === 1) {
      const previous = new Map<string, bigint>();
      for (let i = 0; i + 1 < (earlier?.length ?? 0); i += 2) {
        previous.set(seatIds[Number(earlier?.[i]) - 1] ?? "", BigInt(earlier?.[i + 1] ?? 0));
      }
      return { acquired: true, token: BigInt(value as number), previous };
    }
    return { acquired: false, conflictingSeatIds: (value as number[]).map((i) => seatIds[i - 1] ?? "") };
  }

  async release(eventId: string, seatIds: readonly string[], token: bigint): Promise<number> {
    if (seatIds.length === 0) return 0;
    const keys = seatIds.map((id) => seatKey(eventId, id));
    return (await this.command("urrSeatRelease", keys, [token.toString()])) as number;
  }

  async restore(
    eventId: string,
    seatIds: readonly string[],
    userId: string,
    token: bigint,
    ttlMs: number,
  ): Promise<void> {
    if (seatIds.length === 0) return;
    const keys = seatIds.map((id) => seatKey(eventId, id));
    await this.command("urrSeatRestore", keys, [userId, token.toString(), String(ttlMs)]);
  }

  async holder(eventId: string, seatId: string) {
    const [user, token] = await this.redis.hmget(seatKey(eventId, seatId), "user", "token");
    return user && token ? { userId: user, token: BigInt(token) } : null;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  private command(name: string, keys: string[], args: string[]): Promise<unknown> {
    const fn = (this.redis as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[
      name
    ];
    if (!fn) throw new Error(`Redis command ${name} is not defined`);
    return withSpan(
      `redis ${name}`,
      {
        kind: SpanKind.CLIENT,
        childOnly: true,
        attributes: { "db.system.name": "redis", "urr.seats": keys.length },
      },
      () => fn.call(this.redis, keys.length, ...keys, ...args),
    );
  }
}
