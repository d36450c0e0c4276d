import { readFileSync } from "node:fs";
import path from "node:path";
import type { AuditEvent } from "@urr/audit";
import type Redis from "ioredis";
import type {
  Admission,
  Place,
  QueueCounters,
  QueueStore,
  QueueTimeouts,
  TickOutcome,
} from "./queue-store.ts";

/*
 * Keys of one event share its hash tag, so each script touches one cluster slot:
 *   urr:q:{<event>}:waiting   zset user → queue number
 *   urr:q:{<event>}:seen      zset user → last seen (ms), waiters only
 *   urr:q:{<event>}:active    zset user → last seen (ms), admitted users
 *   urr:q:{<event>}:admitted  hash user → the number they were admitted with (bound into entry tokens)
 *   urr:q:{<event>}:meta      hash lastNumber, serving, threshold
 *   urr:q:{<event>}:rate      list "ms:count" of recent admission rounds
 *   urr:q:{<event>}:lease     the admission round's lease
 * and, across events: urr:q:busy (set of events with users), urr:q:outbox (admissions to publish),
 * urr:q:audit-outbox (admins' audit.recorded envelopes to publish, JSON).
 */
const keysOf = (eventId: string) => {
  const tag = `urr:q:{${eventId}}`;
  return [
    `${tag}:waiting`,
    `${tag}:seen`,
    `${tag}:active`,
    `${tag}:admitted`,
    `${tag}:meta`,
    `${tag}:rate`,
    `${tag}:lease`,
    BUSY,
    OUTBOX,
  ];
};
const BUSY = "urr:q:busy";
const OUTBOX = "urr:q:outbox";
const AUDIT_OUTBOX = "urr:q:audit-outbox";
const script = (file: string) => readFileSync(path.join(__dirname, file), "utf8");

// Shared prelude: names for KEYS, and the counters every script returns.
const PRELUDE = `
local waiting, seen, active, admitted, meta, rate, lease, busy, outbox =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local function counters(defaultThreshold)
  local m = redis.call('HMGET', meta, 'serving', 'lastNumber', 'threshold')
  return {
    tonumber(m[1] or '0'), tonumber(m[2] or '0'),
    redis.call('ZCARD', waiting), redis.call('ZCARD', active),
    tonumber(m[3] or defaultThreshold), redis.call('LRANGE', rate, 0, -1)
  }
end
-- The serving number sits right before the first waiter (or at the last number when nobody waits).
local function reserve()
  local head = redis.call('ZRANGE', waiting, 0, 0, 'WITHSCORES')
  if head[2] then
    redis.call('HSET', meta, 'serving', tonumber(head[2]) - 1)
  else
    redis.call('HSET', meta, 'serving', tonumber(redis.call('HGET', meta, 'lastNumber') or '0'))
  end
end
local function forget(users, fromWaiting)
  for i = 1, #users, 500 do
    local chunk = {unpack(users, i, math.min(i + 499, #users))}
    if fromWaiting then
      redis.call('ZREM', waiting, unpack(chunk))
      redis.call('ZREM', seen, unpack(chunk))
    else
      redis.call('ZREM', active, unpack(chunk))
      redis.call('HDEL', admitted, unpack(chunk))
    end
  end
end
`;

// ARGV: event, user, now, default threshold. Returns {state, number, since, counters...}.
const JOIN = `${PRELUDE}
local event, user, now, defaultThreshold = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local number = redis.call('HGET', admitted, user)
if number and redis.call('ZSCORE', active, user) then
  redis.call('ZADD', active, now, user)
  return {'ACTIVE', tonumber(number), now, counters(defaultThreshold)}
end
local queued = redis.call('ZSCORE', waiting, user)
if queued then
  redis.call('ZADD', seen, now, user)
  return {'QUEUED', tonumber(queued), 0, counters(defaultThreshold)}
end
number = redis.call('HINCRBY', meta, 'lastNumber', 1)
redis.call('SADD', busy, event)
local threshold = tonumber(redis.call('HGET', meta, 'threshold') or defaultThreshold)
if redis.call('ZCARD', waiting) == 0 and redis.call('ZCARD', active) < threshold then
  redis.call('ZADD', active, now, user)
  redis.call('HSET', admitted, user, number)
  redis.call('HSET', meta, 'serving', number)
  redis.call('RPUSH', outbox, event .. '|' .. user .. '|' .. number .. '|' .. now)
  redis.call('RPUSH', rate, now .. ':1')
  return {'ACTIVE', number, now, counters(defaultThreshold)}
end
redis.call('ZADD', waiting, number, user)
redis.call('ZADD', seen, now, user)
return {'QUEUED', number, 0, counters(defaultThreshold)}
`;

// ARGV: user, default threshold.
const PLACE = `${PRELUDE}
local user, defaultThreshold = ARGV[1], ARGV[2]
local since = redis.call('ZSCORE', active, user)
if since then
  return {'ACTIVE', tonumber(redis.call('HGET', admitted, user)), tonumber(since), counters(defaultThreshold)}
end
local queued = redis.call('ZSCORE', waiting, user)
if queued then return {'QUEUED', tonumber(queued), 0, counters(defaultThreshold)} end
return {'NONE', 0, 0, counters(defaultThreshold)}
`;

// ARGV: now, users... Refreshes only users still present (XX): a touch never re-admits anyone.
const TOUCH = `${PRELUDE}
local now = ARGV[1]
for i = 2, #ARGV do
  redis.call('ZADD', seen, 'XX', now, ARGV[i])
  redis.call('ZADD', active, 'XX', now, ARGV[i])
end
return 1
`;

// ARGV: event, user.
const LEAVE = `${PRELUDE}
local event, user = ARGV[1], ARGV[2]
local was = redis.call('ZREM', waiting, user) + redis.call('ZREM', active, user)
redis.call('ZREM', seen, user)
redis.call('HDEL', admitted, user)
if was > 0 then reserve() end
if redis.call('ZCARD', waiting) + redis.call('ZCARD', active) == 0 then redis.call('SREM', busy, event) end
return was
`;

// ARGV: event, now, waiting idle ms, active idle ms, (unused), lease ms, max batch, default threshold.
// Returns false (another instance holds this round) or {admitted {user, number}..., expired active,
// expired waiting, counters}.
const TICK = `${PRELUDE}
local event, now = ARGV[1], tonumber(ARGV[2])
local waitingIdle, activeIdle = tonumber(ARGV[3]), tonumber(ARGV[4])
local maxBatch, defaultThreshold = tonumber(ARGV[7]), ARGV[8]
-- The round's lease is measured on the callers' clock (the same one as heartbeats), so a round at
-- "now" is refused while an earlier round's lease covers "now".
if tonumber(redis.call('GET', lease) or '0') > now then return false end
redis.call('SET', lease, now + tonumber(ARGV[6]), 'PX', 60000)
local expiredActive = redis.call('ZRANGEBYSCORE', active, '-inf', now - activeIdle)
forget(expiredActive, false)
local expiredWaiting = redis.call('ZRANGEBYSCORE', seen, '-inf', now - waitingIdle)
forget(expiredWaiting, true)
local threshold = tonumber(redis.call('HGET', meta, 'threshold') or defaultThreshold)
local room = math.min(threshold - redis.call('ZCARD', active), maxBatch)
local admittedNow = {}
if room > 0 then
  local batch = redis.call('ZRANGE', waiting, 0, room - 1, 'WITHSCORES')
  local users = {}
  for i = 1, #batch, 2 do
    local user, number = batch[i], batch[i + 1]
    users[#users + 1] = user
    redis.call('ZADD', active, now, user)
    redis.call('HSET', admitted, user, number)
    redis.call('RPUSH', outbox, event .. '|' .. user .. '|' .. number .. '|' .. now)
    admittedNow[#admittedNow + 1] = user
    admittedNow[#admittedNow + 1] = number
  end
  forget(users, true)
  if #users > 0 then
    redis.call('RPUSH', rate, now .. ':' .. #users)
    while true do
      local oldest = redis.call('LINDEX', rate, 0)
      if not oldest or tonumber(string.match(oldest, '^(%d+)')) >= now - 60000 then break end
      redis.call('LPOP', rate)
    end
  end
end
reserve()
if redis.call('ZCARD', waiting) + redis.call('ZCARD', active) == 0 then redis.call('SREM', busy, event) end
return {admittedNow, expiredActive, expiredWaiting, counters(defaultThreshold)}
`;

type RawCounters = [number, number, number, number, number, string[]];

function toCounters(raw: RawCounters): QueueCounters {
  const [serving, lastNumber, waiting, active, threshold, rate] = raw;
  return {
    serving,
    lastNumber,
    waiting,
    active,
    threshold,
    recentAdmissions: rate.map((entry) => {
      const [at, count] = entry.split(":");
      return [Number(at), Number(count)];
    }),
  };
}

function toPlace(state: string, number: number, since: number): Place {
  if (state === "ACTIVE") return { state, number, since };
  if (state === "QUEUED") return { state, number };
  return { state: "NONE" };
}

/** The envelope as the scripts take it ('' for a change no admin made). */
const entry = (audit: AuditEvent | undefined) => (audit ? JSON.stringify(audit) : "");

export class RedisQueueStore implements QueueStore {
  constructor(
    private readonly redis: Redis,
    private readonly defaultThreshold: number,
  ) {
    redis.defineCommand("queueJoin", { numberOfKeys: 9, lua: JOIN });
    redis.defineCommand("queuePlace", { numberOfKeys: 9, lua: PLACE });
    redis.defineCommand("queueTouch", { numberOfKeys: 9, lua: TOUCH });
    redis.defineCommand("queueLeave", { numberOfKeys: 9, lua: LEAVE });
    redis.defineCommand("queueTick", { numberOfKeys: 9, lua: TICK });
    redis.defineCommand("queueSetThreshold", { numberOfKeys: 2, lua: script("set-threshold.lua") });
    redis.defineCommand("queueClear", { numberOfKeys: 7, lua: script("clear-queue.lua") });
  }

  private run<T>(command: string, eventId: string, ...args: (string | number)[]): Promise<T> {
    return this.runWith<T>(command, keysOf(eventId), ...args);
  }

  private runWith<T>(command: string, keys: string[], ...args: (string | number)[]): Promise<T> {
    const call = (this.redis as unknown as Record<string, (...a: (string | number)[]) => Promise<T>>)[
      command
    ];
    if (!call) throw new Error(`script ${command} is not defined`);
    return call.call(this.redis, ...keys, ...args);
  }

  async join(eventId: string, userId: string, now: number) {
    const [state, number, since, raw] = await this.run<[string, number, number, RawCounters]>(
      "queueJoin",
      eventId,
      eventId,
      userId,
      now,
      this.defaultThreshold,
    );
    return { place: toPlace(state, number, since), counters: toCounters(raw) };
  }

  async place(eventId: string, userId: string) {
    const [state, number, since, raw] = await this.run<[string, number, number, RawCounters]>(
      "queuePlace",
      eventId,
      userId,
      this.defaultThreshold,
    );
    return { place: toPlace(state, number, since), counters: toCounters(raw) };
  }

  async touch(eventId: string, userIds: string[], now: number): Promise<void> {
    for (let i = 0; i < userIds.length; i += 1000) {
      await this.run("queueTouch", eventId, now, ...userIds.slice(i, i + 1000));
    }
  }

  async leave(eventId: string, userId: string): Promise<boolean> {
    return (await this.run<number>("queueLeave", eventId, eventId, userId)) > 0;
  }

  async tick(
    eventId: string,
    now: number,
    options: QueueTimeouts & { leaseMs: number; maxBatch: number },
  ): Promise<TickOutcome | null> {
    const result = await this.run<[string[], string[], string[], RawCounters] | null>(
      "queueTick",
      eventId,
      eventId,
      now,
      options.waitingIdleMs,
      options.activeIdleMs,
      "",
      options.leaseMs,
      options.maxBatch,
      this.defaultThreshold,
    );
    if (!result) return null;
    const [admittedFlat, expiredActive, expiredWaiting, raw] = result;
    const admitted: Admission[] = [];
    for (let i = 0; i < admittedFlat.length; i += 2) {
      admitted.push({ userId: admittedFlat[i] ?? "", number: Number(admittedFlat[i + 1]), admittedAt: now });
    }
    return { admitted, expiredActive, expiredWaiting, counters: toCounters(raw) };
  }

  async counters(eventId: string): Promise<QueueCounters> {
    return (await this.place(eventId, "")).counters;
  }

  busyEvents(): Promise<string[]> {
    return this.redis.smembers(BUSY);
  }

  async setThreshold(eventId: string, threshold: number, audit?: AuditEvent): Promise<void> {
    const [, , , , meta = ""] = keysOf(eventId);
    await this.runWith(
      "queueSetThreshold",
      [meta, AUDIT_OUTBOX],
      threshold,
      this.defaultThreshold,
      entry(audit),
    );
  }

  async clear(eventId: string, audit?: AuditEvent): Promise<void> {
    const [waiting = "", seen = "", active = "", admitted = "", meta = ""] = keysOf(eventId);
    await this.runWith(
      "queueClear",
      [waiting, seen, active, admitted, meta, BUSY, AUDIT_OUTBOX],
      eventId,
      entry(audit),
    );
  }

  async pendingAdmissions(limit: number) {
    const entries = await this.redis.lrange(OUTBOX, 0, limit - 1);
    return entries.map((entry) => {
      const [eventId = "", userId = "", number, at] = entry.split("|");
      return { eventId, userId, number: Number(number), admittedAt: Number(at) };
    });
  }

  async ackAdmissions(count: number): Promise<void> {
    if (count > 0) await this.redis.ltrim(OUTBOX, count, -1);
  }

  pendingAudits(limit: number): Promise<string[]> {
    return this.redis.lrange(AUDIT_OUTBOX, 0, limit - 1);
  }

  async ackAudits(count: number): Promise<void> {
    if (count > 0) await this.redis.ltrim(AUDIT_OUTBOX, count, -1);
  }

  async lease(name: string, owner: string, ms: number): Promise<boolean> {
    const held = await this.redis.eval(
      `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
       return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0`,
      1,
      `urr:q:lease:${name}`,
      owner,
      ms,
    );
    return held === 1;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
