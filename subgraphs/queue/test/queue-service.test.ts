import { randomUUID } from "node:crypto";
import { auditEnvelope } from "@urr/audit";
import {
  ANONYMOUS,
  type AuthenticatedViewer,
  generateSigningKeyPair,
  importSigningKey,
  importVerifyingKey,
  type Viewer,
  verifyEntryToken,
} from "@urr/auth-tokens";
import {
  createEvent,
  EventDeleted,
  type EventTransport,
  EventUpserted,
  MembershipActivated,
  MembershipExpired,
  MembershipTierChanged,
  type OutboxRow,
  ReservationConfirmed,
} from "@urr/events";
import { createLogger } from "@urr/logger";
import { AdmissionRelay } from "../src/domain/admission-relay.ts";
import { EntryPasses } from "../src/domain/entry-passes.ts";
import { TieredPresale, tiersFrom } from "../src/domain/presale.ts";
import { queueProjections } from "../src/domain/projections.ts";
import { QueueService } from "../src/domain/queue.service.ts";
import { MemoryEventDirectory } from "../src/store/event-directory.ts";
import { MemoryQueueStore } from "../src/store/memory-queue-store.ts";

const logger = createLogger("queue-test", { level: "silent" });
const HOUR = 3_600_000;
const ADMIN: Viewer = {
  authenticated: true,
  userId: "00000000-0000-4000-8000-00000000a001",
  email: "ops@urr.test",
  role: "ADMIN",
};
const fanOf = (n: number): AuthenticatedViewer => ({
  authenticated: true,
  userId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  email: `fan${n}@urr.test`,
  role: "USER",
});

async function setup(threshold = 1) {
  const keys = await generateSigningKeyPair();
  const store = new MemoryQueueStore(threshold);
  const directory = new MemoryEventDirectory();
  const handlers = queueProjections({ directory, store, logger });
  let now = Date.parse("2026-12-24T10:00:00.000Z");
  const queue = new QueueService({
    store,
    directory,
    presale: new TieredPresale({ tierOf: tiersFrom(directory), stageMinutes: 60 }),
    passes: new EntryPasses(await importSigningKey(keys.privateKeyPem), 600),
    now: () => now,
  });
  const artistId = randomUUID();
  const publish = async (eventId: string, opensInHours: number, revision = 1, cancelled = false) =>
    handlers.handle(
      createEvent(EventUpserted, eventId, {
        eventId,
        artistId,
        title: "Show",
        startsAt: new Date(now + 240 * HOUR).toISOString(),
        saleStartsAt: new Date(now + opensInHours * HOUR).toISOString(),
        saleEndsAt: new Date(now + 200 * HOUR).toISOString(),
        cancelledAt: cancelled ? new Date(now).toISOString() : null,
        revision,
      }),
    );
  return {
    store,
    queue,
    handlers,
    artistId,
    publish,
    verifyKey: await importVerifyingKey(keys.publicKeyPem),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("joining the waiting room", () => {
  it("admits with an entry token bound to the user and event, then queues with positions", async () => {
    const t = await setup(1);
    const eventId = randomUUID();
    await t.publish(eventId, -1);
    const first = await t.queue.join(fanOf(1), eventId);
    expect(first).toMatchObject({ state: "ACTIVE", queueNumber: 1, position: 0 });
    const pass = await verifyEntryToken(first.entryToken, { userId: fanOf(1).userId, eventId }, t.verifyKey);
    expect(pass.admission).toBe(1);
    const second = await t.queue.join(fanOf(2), eventId);
    const third = await t.queue.join(fanOf(3), eventId);
    expect(second).toMatchObject({
      state: "QUEUED",
      queueNumber: 2,
      position: 1,
      entryToken: null,
      queueSize: 1,
    });
    // One admission in the measured second so far: 1 per second.
    expect(third).toMatchObject({ state: "QUEUED", position: 2, queueSize: 2, estimatedWaitSeconds: 2 });
    expect(third.pollIntervalSeconds).toBe(1);
  });

  it("refuses unknown, cancelled, closed and not-yet-open events with codes and reasons", async () => {
    const t = await setup();
    await expect(t.queue.join(fanOf(1), randomUUID())).rejects.toMatchObject({
      extensions: { code: "NOT_FOUND" },
    });
    const cancelled = randomUUID();
    await t.publish(cancelled, -1, 1, true);
    await expect(t.queue.join(fanOf(1), cancelled)).rejects.toMatchObject({
      extensions: { code: "CONFLICT", reason: "EVENT_CANCELLED" },
    });
    const later = randomUUID();
    await t.publish(later, 5);
    await expect(t.queue.join(fanOf(1), later)).rejects.toMatchObject({
      extensions: { code: "CONFLICT", reason: "SALE_NOT_OPEN", opensAt: expect.any(String) },
    });
    const over = randomUUID();
    await t.publish(over, -1);
    t.advance(201 * HOUR);
    await expect(t.queue.join(fanOf(1), over)).rejects.toMatchObject({
      extensions: { code: "CONFLICT", reason: "SALE_ENDED" },
    });
  });

  it("lets fan-club members join by pre-sale stage: DIAMOND 3 stages early, GOLD 2, SILVER 1", async () => {
    const t = await setup(100);
    const eventId = randomUUID();
    await t.publish(eventId, 2.5); // general sale in 2.5 h: DIAMOND (3 h early) may join now
    const tier = (n: number, name: "SILVER" | "GOLD" | "DIAMOND", expiresInHours = 1_000) =>
      t.handlers.handle(
        createEvent(MembershipActivated, randomUUID(), {
          membershipId: randomUUID(),
          userId: fanOf(n).userId,
          artistId: t.artistId,
          tier: name,
          points: 0,
          revision: 2,
          paymentId: randomUUID(),
          expiresAt: new Date(Date.now() + expiresInHours * HOUR).toISOString(),
        }),
      );
    await tier(1, "DIAMOND");
    await tier(2, "GOLD");
    await tier(3, "SILVER");
    const notOpen = { extensions: { code: "CONFLICT", reason: "SALE_NOT_OPEN" } };
    expect((await t.queue.join(fanOf(1), eventId)).state).toBe("ACTIVE");
    await expect(t.queue.join(fanOf(2), eventId)).rejects.toMatchObject(notOpen);
    t.advance(HOUR); // 1.5 h before: GOLD opens
    expect((await t.queue.join(fanOf(2), eventId)).state).toBe("ACTIVE");
    await expect(t.queue.join(fanOf(3), eventId)).rejects.toMatchObject(notOpen);
    await expect(t.queue.join(fanOf(4), eventId)).rejects.toMatchObject(notOpen);
    t.advance(HOUR); // 0.5 h before: SILVER opens, the general public still waits
    expect((await t.queue.join(fanOf(3), eventId)).state).toBe("ACTIVE");
    await expect(t.queue.join(fanOf(4), eventId)).rejects.toMatchObject(notOpen);
    t.advance(HOUR);
    expect((await t.queue.join(fanOf(4), eventId)).state).toBe("ACTIVE");
  });

  it("an expired membership does not open the pre-sale", async () => {
    const t = await setup(100);
    const eventId = randomUUID();
    await t.publish(eventId, 2);
    await t.handlers.handle(
      createEvent(MembershipActivated, randomUUID(), {
        membershipId: randomUUID(),
        userId: fanOf(1).userId,
        artistId: t.artistId,
        tier: "DIAMOND",
        points: 1_500,
        revision: 2,
        paymentId: randomUUID(),
        expiresAt: new Date(Date.parse("2026-12-24T09:00:00.000Z")).toISOString(),
      }),
    );
    await expect(t.queue.join(fanOf(1), eventId)).rejects.toMatchObject({
      extensions: { reason: "SALE_NOT_OPEN" },
    });
  });

  it("follows a membership through tier changes and expiry, whatever order its events arrive in", async () => {
    const t = await setup(100);
    const eventId = randomUUID();
    await t.publish(eventId, 1.5); // general sale in 1.5 h: GOLD and DIAMOND may join, SILVER not yet
    const state = (
      tier: "SILVER" | "GOLD" | "DIAMOND",
      revision: number,
      expiresAt = Date.now() + 1_000 * HOUR,
    ) => ({
      membershipId: "6f1c2a4e-0000-4000-8000-000000000001",
      userId: fanOf(1).userId,
      artistId: t.artistId,
      tier,
      points: 0,
      expiresAt: new Date(expiresAt).toISOString(),
      revision,
    });
    const id = state("SILVER", 1).membershipId;
    const tierChanged = createEvent(MembershipTierChanged, id, {
      ...state("GOLD", 4),
      previousTier: "SILVER",
    });
    const activated = createEvent(MembershipActivated, id, {
      ...state("SILVER", 2),
      paymentId: randomUUID(),
    });
    // The tier change arrives first; the older activation after it changes nothing.
    expect(await t.handlers.handle(tierChanged)).toBe("applied");
    expect(await t.handlers.handle(activated)).toBe("stale");
    expect((await t.queue.join(fanOf(1), eventId)).state).toBe("ACTIVE");
    await t.queue.leave(fanOf(1), eventId);
    // Expired: the term's end is in the past, so the fan waits for the general sale.
    await t.handlers.handle(
      createEvent(MembershipExpired, id, state("GOLD", 5, Date.parse("2026-12-24T09:00:00.000Z"))),
    );
    await expect(t.queue.join(fanOf(1), eventId)).rejects.toMatchObject({
      extensions: { reason: "SALE_NOT_OPEN" },
    });
  });

  it("rejects thresholds outside 1..100000 as BAD_USER_INPUT", async () => {
    const t = await setup();
    const eventId = randomUUID();
    await t.publish(eventId, -1);
    await expect(t.queue.setThreshold(ADMIN, eventId, 0)).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
    });
    await expect(t.queue.setThreshold(ADMIN, eventId, 2.5)).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
    });
    expect(await t.store.pendingAudits(100)).toEqual([]);
    expect((await t.queue.setThreshold(ADMIN, eventId, 3)).threshold).toBe(3);
  });
});

describe("admin actions on a waiting room", () => {
  it("are refused to fans and signed-out callers, with nothing changed or recorded", async () => {
    const t = await setup(2);
    const eventId = randomUUID();
    await t.publish(eventId, -1);
    await t.queue.join(fanOf(1), eventId);
    for (const viewer of [fanOf(2), ANONYMOUS]) {
      const code = viewer.authenticated ? "FORBIDDEN" : "UNAUTHENTICATED";
      await expect(t.queue.setThreshold(viewer, eventId, 50)).rejects.toMatchObject({ extensions: { code } });
      await expect(t.queue.clear(viewer, eventId)).rejects.toMatchObject({ extensions: { code } });
    }
    expect(await t.store.counters(eventId)).toMatchObject({ threshold: 2, active: 1 });
    expect(await t.store.pendingAudits(100)).toEqual([]);
  });

  it("record one audit entry each, with the figures before and after, published to audit-events", async () => {
    const t = await setup(2);
    const eventId = randomUUID();
    await t.publish(eventId, -1);
    for (const n of [1, 2, 3]) await t.queue.join(fanOf(n), eventId);
    await t.queue.setThreshold(ADMIN, eventId, 10);
    await t.queue.clear(ADMIN, eventId);
    // An unknown event is NOT_FOUND before anything is recorded.
    await expect(t.queue.clear(ADMIN, randomUUID())).rejects.toMatchObject({
      extensions: { code: "NOT_FOUND" },
    });

    const sent: OutboxRow[] = [];
    const relay = new AdmissionRelay({
      store: t.store,
      transport: { deliver: async (rows) => void sent.push(...rows) },
      logger,
    });
    expect(await relay.relayAuditsOnce()).toBe(2);
    expect(await relay.relayAuditsOnce()).toBe(0);
    expect(sent.map((r) => [r.topic, r.messageKey])).toEqual([
      ["audit-events", eventId],
      ["audit-events", eventId],
    ]);
    expect(sent.map((r) => r.envelope.payload)).toEqual([
      expect.objectContaining({
        source: "queue",
        actorId: (ADMIN as AuthenticatedViewer).userId,
        action: "queue.set-threshold",
        entityType: "QUEUE",
        entityId: eventId,
        before: { threshold: 2 },
        after: { threshold: 10 },
      }),
      expect.objectContaining({
        action: "queue.clear",
        before: { queueSize: 1, activeUsers: 2, servingNumber: 2, lastNumber: 3 },
        after: { queueSize: 0, activeUsers: 0, servingNumber: 3, lastNumber: 3 },
      }),
    ]);
  });

  it("the relay drops an audit record its contract refuses instead of blocking the others", async () => {
    const t = await setup(2);
    const eventId = randomUUID();
    await t.publish(eventId, -1);
    const broken = auditEnvelope("queue", ADMIN as AuthenticatedViewer, {
      action: "queue.clear",
      entityType: "QUEUE",
      entityId: eventId,
      before: null,
      after: null,
    });
    await t.store.clear(eventId, { ...broken, payload: { ...broken.payload, actorId: "not-a-uuid" } });
    await t.queue.setThreshold(ADMIN, eventId, 4);
    const sent: OutboxRow[] = [];
    const relay = new AdmissionRelay({
      store: t.store,
      transport: { deliver: async (rows) => void sent.push(...rows) },
      logger,
    });
    expect(await relay.relayAuditsOnce()).toBe(2);
    expect(sent.map((r) => (r.envelope.payload as { action: string }).action)).toEqual([
      "queue.set-threshold",
    ]);
  });
});

describe("what the queue learns from other subgraphs", () => {
  it("applies catalog states by revision: an older state never overwrites a newer one", async () => {
    const t = await setup();
    const eventId = randomUUID();
    expect(await t.publish(eventId, 5, 2)).toBe("applied");
    expect(await t.publish(eventId, -1, 1)).toBe("stale"); // would have opened the sale
    await expect(t.queue.join(fanOf(1), eventId)).rejects.toMatchObject({
      extensions: { reason: "SALE_NOT_OPEN" },
    });
    expect(await t.handlers.handle(createEvent(EventDeleted, eventId, { eventId, revision: 3 }))).toBe(
      "applied",
    );
    expect(await t.publish(eventId, -1, 2)).toBe("stale"); // a late upsert cannot bring it back
    await expect(t.queue.join(fanOf(1), eventId)).rejects.toMatchObject({
      extensions: { code: "NOT_FOUND" },
    });
  });

  it("a confirmed purchase frees the buyer's slot for the next waiter", async () => {
    const t = await setup(1);
    const eventId = randomUUID();
    await t.publish(eventId, -1);
    await t.queue.join(fanOf(1), eventId);
    await t.queue.join(fanOf(2), eventId);
    const bought = createEvent(ReservationConfirmed, randomUUID(), {
      reservationId: randomUUID(),
      userId: fanOf(1).userId,
      eventId,
      paymentId: randomUUID(),
      quantity: 2,
      totalAmount: 2000,
      ticketIds: [randomUUID(), randomUUID()],
      confirmedAt: new Date().toISOString(),
    });
    expect(await t.handlers.handle(bought)).toBe("slot freed");
    expect(await t.handlers.handle(bought)).toBe("no slot"); // redelivered: nothing more happens
    const round = await t.store.tick(eventId, Date.now(), {
      waitingIdleMs: 1e9,
      activeIdleMs: 1e9,
      leaseMs: 1,
      maxBatch: 10,
    });
    expect(round?.admitted.map((a) => a.userId)).toEqual([fanOf(2).userId]);
  });
});

describe("publishing admissions to queue-events", () => {
  it("sends each admission once, with an id derived from it, and re-sends the same ids after a failure", async () => {
    const t = await setup(2);
    const eventId = randomUUID();
    await t.publish(eventId, -1);
    await t.queue.join(fanOf(1), eventId);
    await t.queue.join(fanOf(2), eventId);
    const sent: OutboxRow[][] = [];
    let fail = true;
    const transport: EventTransport = {
      deliver: async (rows) => {
        sent.push(rows);
        if (fail) throw new Error("broker down");
      },
    };
    const relay = new AdmissionRelay({ store: t.store, transport, logger });
    await expect(relay.relayOnce()).rejects.toThrow("broker down");
    fail = false;
    expect(await relay.relayOnce()).toBe(2);
    expect(await relay.relayOnce()).toBe(0);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.map((r) => r.id)).toEqual(sent[0]?.map((r) => r.id));
    expect(sent[1]?.map((r) => [r.topic, r.messageKey, r.envelope.type])).toEqual([
      ["queue-events", eventId, "queue.admitted"],
      ["queue-events", eventId, "queue.admitted"],
    ]);
    expect(sent[1]?.map((r) => (r.envelope.payload as { queueNumber: number }).queueNumber)).toEqual([1, 2]);
  });

  it("drops a record its contract refuses instead of blocking every admission behind it", async () => {
    const t = await setup(5);
    const eventId = randomUUID();
    await t.store.join(eventId, "not-a-user-id", Date.now()); // bypasses the service: no viewer
    await t.store.join(eventId, fanOf(1).userId, Date.now());
    const sent: OutboxRow[] = [];
    const relay = new AdmissionRelay({
      store: t.store,
      transport: { deliver: async (rows) => void sent.push(...rows) },
      logger,
    });
    expect(await relay.relayOnce()).toBe(2);
    expect(sent.map((r) => (r.envelope.payload as { userId: string }).userId)).toEqual([fanOf(1).userId]);
    expect(await relay.relayOnce()).toBe(0);
  });
});
