import { randomUUID } from "node:crypto";
import { auditEnvelope } from "@urr/audit";
import type { AuthenticatedViewer } from "@urr/auth-tokens";
import { AuditRecorded, parseEvent } from "@urr/events";
import { createLogger } from "@urr/logger";
import Redis from "ioredis";
import { failClosed } from "../src/store/fail-closed.ts";
import { MemoryQueueStore } from "../src/store/memory-queue-store.ts";
import type { QueueStore } from "../src/store/queue-store.ts";
import { RedisQueueStore } from "../src/store/redis-queue-store.ts";

/** One contract, two implementations: real Redis (production) and memory (embedded `npm start`). */
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const connections: Redis[] = [];
// Each file gets its own key space: these tests write records (plain user names) that must not
// reach a running queue's outbox on the same Redis.
const KEY_PREFIX = `test:${randomUUID()}:`;
const redisStore = (threshold: number) => {
  const connection = new Redis(REDIS_URL, { keyPrefix: KEY_PREFIX });
  connections.push(connection);
  return new RedisQueueStore(connection, threshold);
};
afterAll(async () => {
  const plain = new Redis(REDIS_URL);
  const keys = await plain.keys(`${KEY_PREFIX}*`);
  if (keys.length > 0) await plain.del(...keys);
  await plain.quit();
  await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
});

const timeouts = { waitingIdleMs: 60_000, activeIdleMs: 300_000, leaseMs: 900, maxBatch: 10_000 };
const T0 = 1_800_000_000_000;

/** Random-order concurrency: every join starts after a random microtask/timer delay. */
async function joinAtRandom(store: QueueStore, eventId: string, users: string[], now: number) {
  return Promise.all(
    users.map(async (user) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
      return { user, ...(await store.join(eventId, user, now)) };
    }),
  );
}

describe.each([
  ["Redis", (threshold: number) => redisStore(threshold) as QueueStore],
  ["memory", (threshold: number) => new MemoryQueueStore(threshold) as QueueStore],
])("waiting room store (%s)", (_name, make) => {
  let eventId: string;
  beforeEach(() => {
    eventId = randomUUID();
  });

  it("admits at once while there is room and nobody waits, then queues with fixed numbers", async () => {
    const store = make(2);
    expect((await store.join(eventId, "a", T0)).place).toEqual({ state: "ACTIVE", number: 1, since: T0 });
    expect((await store.join(eventId, "b", T0)).place).toMatchObject({ state: "ACTIVE", number: 2 });
    const c = await store.join(eventId, "c", T0);
    expect(c.place).toEqual({ state: "QUEUED", number: 3 });
    expect(c.counters).toMatchObject({ serving: 2, lastNumber: 3, waiting: 1, active: 2, threshold: 2 });
    // Joining again keeps the first place.
    expect((await store.join(eventId, "c", T0 + 5)).place).toEqual({ state: "QUEUED", number: 3 });
    expect((await store.join(eventId, "a", T0 + 5)).place).toMatchObject({ state: "ACTIVE", number: 1 });
  });

  it("admits 1,000 random-order joins each exactly once, strictly in queue-number order, never above the threshold", async () => {
    const threshold = 50;
    const store = make(threshold);
    const users = Array.from({ length: 1_000 }, (_, i) => `user-${i}`);
    const joins = await joinAtRandom(store, eventId, users, T0);

    const numbers = new Map<string, number>();
    for (const user of users) {
      const { place } = await store.place(eventId, user);
      expect(place.state).not.toBe("NONE");
      if (place.state !== "NONE") numbers.set(user, place.number);
    }
    // Every join got a distinct number 1..1000, the one its join answered.
    expect([...numbers.values()].sort((x, y) => x - y)).toEqual(users.map((_, i) => i + 1));
    for (const join of joins) {
      expect(join.place.state === "NONE" ? undefined : join.place.number).toBe(numbers.get(join.user));
    }

    // Every admission, on joining or in a round, with the number it was made under.
    const admissions: { userId: string; number: number }[] = joins.flatMap((j) =>
      j.place.state === "ACTIVE" ? [{ userId: j.user, number: j.place.number }] : [],
    );
    const admittedInRounds: number[] = [];
    const finished = new Set<string>();
    let round = 0;
    for (;;) {
      const before = await store.counters(eventId);
      expect(before.active).toBeLessThanOrEqual(threshold);
      if (before.waiting === 0) break;
      const outcome = await store.tick(eventId, T0 + ++round * 1_000, timeouts);
      if (!outcome) throw new Error("round refused");
      expect(outcome.counters.active).toBeLessThanOrEqual(threshold);
      admissions.push(...outcome.admitted);
      admittedInRounds.push(...outcome.admitted.map((a) => a.number));
      // Free 20 slots, the longest-admitted first, as buyers finish.
      const active = admissions.filter((a) => !finished.has(a.userId)).slice(0, 20);
      for (const { userId } of active) {
        finished.add(userId);
        await store.leave(eventId, userId);
      }
    }
    // Each user admitted exactly once, under their own number: so every number 1..1000 exactly once.
    const perUser = new Map<string, number>();
    for (const a of admissions) {
      perUser.set(a.userId, (perUser.get(a.userId) ?? 0) + 1);
      expect(a.number).toBe(numbers.get(a.userId));
    }
    expect(perUser.size).toBe(1_000);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
    expect(admissions.map((a) => a.number).sort((x, y) => x - y)).toEqual(users.map((_, i) => i + 1));
    // The first `threshold` users were admitted on joining; the rounds followed the numbers after them.
    expect(admittedInRounds).toEqual(users.slice(threshold).map((_, i) => threshold + 1 + i));
  });

  it("moves the serving number to just before the first waiter, so the head has position 1", async () => {
    const store = make(1);
    for (const user of ["a", "b", "c", "d"]) await store.join(eventId, user, T0);
    expect((await store.counters(eventId)).serving).toBe(1);
    await store.leave(eventId, "b"); // number 2 leaves: c (3) is now first
    expect((await store.counters(eventId)).serving).toBe(2);
    await store.leave(eventId, "a"); // the active slot frees; c is admitted next round
    const outcome = await store.tick(eventId, T0 + 1_000, timeouts);
    expect(outcome?.admitted).toEqual([{ userId: "c", number: 3, admittedAt: T0 + 1_000 }]);
    expect(outcome?.counters).toMatchObject({ serving: 3, waiting: 1, active: 1 });
  });

  it("drops waiters and admitted users who stopped showing up, and keeps those who touched", async () => {
    const store = make(1);
    await store.join(eventId, "active-idle", T0);
    await store.join(eventId, "waiting-idle", T0);
    await store.join(eventId, "waiting-alive", T0);
    await store.touch(eventId, ["waiting-alive"], T0 + 50_000);
    const outcome = await store.tick(eventId, T0 + 310_000, {
      ...timeouts,
      waitingIdleMs: 60_000,
      activeIdleMs: 300_000,
    });
    expect(outcome?.expiredActive).toEqual(["active-idle"]);
    // waiting-alive was seen at +50 s, so at +310 s it is idle too; only touched users within the window stay.
    expect(outcome?.expiredWaiting.sort()).toEqual(["waiting-alive", "waiting-idle"]);
    expect((await store.place(eventId, "active-idle")).place).toEqual({ state: "NONE" });

    await store.join(eventId, "x", T0 + 400_000); // room again: admitted at once
    await store.join(eventId, "y", T0 + 400_000);
    await store.touch(eventId, ["y"], T0 + 430_000);
    const later = await store.tick(eventId, T0 + 470_000, timeouts);
    expect(later?.expiredWaiting).toEqual([]);
    expect((await store.place(eventId, "y")).place).toMatchObject({ state: "QUEUED" });
  });

  it("a touch never brings back a user who left", async () => {
    const store = make(1);
    await store.join(eventId, "a", T0);
    await store.join(eventId, "b", T0);
    await store.leave(eventId, "b");
    await store.touch(eventId, ["b"], T0 + 1);
    expect((await store.place(eventId, "b")).place).toEqual({ state: "NONE" });
    expect((await store.counters(eventId)).waiting).toBe(0);
  });

  it("runs one admission round per lease, whoever asks", async () => {
    const one = make(10);
    const two = _name === "Redis" ? redisStore(10) : one; // two instances on one Redis
    await one.join(eventId, "a", T0);
    const rounds = await Promise.all([
      one.tick(eventId, T0 + 1_000, timeouts),
      two.tick(eventId, T0 + 1_000, timeouts),
    ]);
    expect(rounds.filter((r) => r !== null)).toHaveLength(1);
  });

  it("records admissions for queue-events in admission order, and acknowledges them", async () => {
    const store = make(1);
    const drained = await store.pendingAdmissions(10_000);
    await store.ackAdmissions(drained.length); // other tests' leftovers
    await store.join(eventId, "a", T0);
    await store.join(eventId, "b", T0);
    await store.leave(eventId, "a");
    await store.tick(eventId, T0 + 1_000, timeouts);
    const pending = (await store.pendingAdmissions(100)).filter((a) => a.eventId === eventId);
    expect(pending.map((a) => [a.userId, a.number])).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
  });

  it("clear empties the room but keeps numbering, and thresholds are per event", async () => {
    const store = make(1);
    await store.join(eventId, "a", T0);
    await store.join(eventId, "b", T0);
    await store.clear(eventId);
    expect(await store.counters(eventId)).toMatchObject({ waiting: 0, active: 0, serving: 2, lastNumber: 2 });
    expect(await store.busyEvents()).not.toContain(eventId);
    await store.setThreshold(eventId, 3);
    for (const user of ["c", "d", "e", "f"]) await store.join(eventId, user, T0);
    expect(await store.counters(eventId)).toMatchObject({
      active: 3,
      waiting: 1,
      lastNumber: 6,
      threshold: 3,
    });
    expect(await store.busyEvents()).toContain(eventId);
  });
});

describe.each([
  ["Redis", (threshold: number) => redisStore(threshold) as QueueStore],
  ["memory", (threshold: number) => new MemoryQueueStore(threshold) as QueueStore],
])("an admin's change and its audit entry (%s)", (_name, make) => {
  const admin: AuthenticatedViewer = {
    authenticated: true,
    userId: "00000000-0000-4000-8000-00000000a001",
    email: "ops@urr.test",
    role: "ADMIN",
  };
  const draft = (action: string, eventId: string) =>
    auditEnvelope(
      "queue",
      admin,
      { action, entityType: "QUEUE", entityId: eventId, before: null, after: null },
      { at: new Date(T0) },
    );
  /** The store's pending audit entries of one event, parsed with the contract catalog reads them with. */
  const auditsOf = async (store: QueueStore, eventId: string) =>
    (await store.pendingAudits(10_000))
      .map((text) => parseEvent(AuditRecorded, JSON.parse(text)))
      .filter((e) => e.aggregateId === eventId);

  it("setThreshold appends one entry with the threshold before and after; without an entry, none", async () => {
    const store = make(7);
    const eventId = randomUUID();
    const envelope = draft("queue.set-threshold", eventId);
    await store.setThreshold(eventId, 40, envelope);
    await store.setThreshold(eventId, 41);
    const [entry, ...more] = await auditsOf(store, eventId);
    expect(more).toHaveLength(0);
    expect(entry).toEqual({
      ...envelope,
      payload: { ...envelope.payload, before: { threshold: 7 }, after: { threshold: 40 } },
    });
    expect((await store.counters(eventId)).threshold).toBe(41);
  });

  it("clear's entry holds exactly what it removed, even with joins racing it", async () => {
    const store = make(5);
    const eventId = randomUUID();
    const users = Array.from({ length: 60 }, (_, i) => `racer-${i}`);
    const joining = joinAtRandom(store, eventId, users, T0);
    await new Promise((resolve) => setTimeout(resolve, 8));
    await store.clear(eventId, draft("queue.clear", eventId));
    await joining;
    const [entry, ...more] = await auditsOf(store, eventId);
    expect(more).toHaveLength(0);
    const before = entry?.payload.before as Record<string, number>;
    const after = entry?.payload.after as Record<string, number>;
    const left = await store.counters(eventId);
    // Every join landed either before the clear (counted in `before`, then removed) or after it.
    expect((before.queueSize ?? 0) + (before.activeUsers ?? 0) + left.waiting + left.active).toBe(60);
    expect(after).toEqual({
      queueSize: 0,
      activeUsers: 0,
      servingNumber: before.lastNumber,
      lastNumber: before.lastNumber,
    });
    await store.clear(eventId);
    expect(await auditsOf(store, eventId)).toHaveLength(1);
  });

  it("an acknowledged entry leaves the audit outbox", async () => {
    const store = make(3);
    const eventId = randomUUID();
    const pending = (await store.pendingAudits(10_000)).length;
    await store.setThreshold(eventId, 9, draft("queue.set-threshold", eventId));
    expect(await store.pendingAudits(10_000)).toHaveLength(pending + 1);
    await store.ackAudits(pending + 1);
    expect(await store.pendingAudits(10_000)).toHaveLength(0);
  });
});

describe("Redis unavailable", () => {
  it("fails closed with SERVICE_UNAVAILABLE and no infrastructure detail", async () => {
    const dead = new Redis("redis://127.0.0.1:1", {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    dead.on("error", () => {});
    connections.push(dead);
    const logger = createLogger("queue-test", { level: "silent" });
    const store = failClosed(new RedisQueueStore(dead, 10), "The waiting room", logger);
    const error = await store.join(randomUUID(), "a", T0).catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: "The waiting room is temporarily unavailable, retry shortly",
      extensions: { code: "SERVICE_UNAVAILABLE" },
    });
    expect(JSON.stringify((error as { extensions: unknown }).extensions)).not.toContain("127.0.0.1");
  });
});
