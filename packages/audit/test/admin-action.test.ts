import type { AuthenticatedViewer } from "@urr/auth-tokens";
import { AUDIT_TOPIC, AuditRecorded, InvalidEventError, parseEvent, type SqlExecutor } from "@urr/events";
import { auditEnvelope, recordAdminAction } from "../src/index.ts";

const admin: AuthenticatedViewer = {
  authenticated: true,
  userId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  email: "ops@urr.test",
  role: "ADMIN",
};
const ticketTypeId = "6f1c2d1e-9b1a-4c55-8f0e-2b7a3c4d5e6f";
const at = new Date("2026-12-01T09:30:00.000Z");

/** Records the statements a transaction would run (the SQL itself is exercised by the subgraphs' int tests). */
function recordingTx() {
  const calls: unknown[][] = [];
  const tx: SqlExecutor = {
    $executeRawUnsafe: async (...args: unknown[]) => {
      calls.push(args);
      return 1;
    },
  };
  return { tx, calls };
}

describe("recordAdminAction", () => {
  it("appends one audit.recorded envelope to the outbox, keyed by the entity", async () => {
    const { tx, calls } = recordingTx();
    const event = await recordAdminAction(
      tx,
      "ticket",
      admin,
      {
        action: "ticket-type.update",
        entityType: "TICKET_TYPE",
        entityId: ticketTypeId,
        before: { price: 99_000, updatedAt: new Date("2026-11-01T00:00:00.000Z") },
        after: { price: 110_000, note: undefined },
        reason: "  price correction  ",
      },
      { at },
    );
    expect(calls).toHaveLength(1);
    const [sql, id, topic, key, type, envelope] = calls[0] ?? [];
    expect(sql).toMatch(/INSERT INTO outbox_events/);
    expect({ id, topic, key, type }).toEqual({
      id: event.id,
      topic: AUDIT_TOPIC,
      key: ticketTypeId,
      type: "audit.recorded",
    });
    // What the consumer will receive: the stored JSON passes the contract it is read with.
    const received = parseEvent(AuditRecorded, JSON.parse(String(envelope)));
    expect(received.aggregateId).toBe(ticketTypeId);
    expect(received.occurredAt).toBe(at.toISOString());
    expect(received.payload).toEqual({
      source: "ticket",
      actorId: admin.userId,
      actorEmail: admin.email,
      action: "ticket-type.update",
      entityType: "TICKET_TYPE",
      entityId: ticketTypeId,
      before: { price: 99_000, updatedAt: "2026-11-01T00:00:00.000Z" },
      after: { price: 110_000 },
      reason: "price correction",
      at: at.toISOString(),
    });
  });

  it("writes nothing when the action breaks the contract", async () => {
    const { tx, calls } = recordingTx();
    const bad = { entityType: "TICKET_TYPE" as const, entityId: ticketTypeId, before: null, after: null };
    for (const action of ["TicketType.Update", "ticket-type", "ticket_type.create", `${"a".repeat(50)}.b`]) {
      await expect(recordAdminAction(tx, "ticket", admin, { ...bad, action })).rejects.toThrow(
        InvalidEventError,
      );
    }
    await expect(
      recordAdminAction(tx, "ticket", admin, {
        ...bad,
        action: "ticket-type.create",
        entityType: "SPACESHIP" as never,
      }),
    ).rejects.toThrow(InvalidEventError);
    await expect(
      recordAdminAction(
        tx,
        "ticket",
        { ...admin, userId: "not-a-uuid" },
        { ...bad, action: "ticket-type.create" },
      ),
    ).rejects.toThrow(InvalidEventError);
    expect(calls).toHaveLength(0);
  });
});

describe("auditEnvelope", () => {
  it("omits a blank reason, keeps null snapshots and gives every action its own event id", () => {
    const change = {
      action: "queue.clear",
      entityType: "QUEUE" as const,
      entityId: ticketTypeId,
      before: null,
      after: undefined,
      reason: "   ",
    };
    const first = auditEnvelope("queue", admin, change, { at });
    const second = auditEnvelope("queue", admin, change, { at });
    expect(first.payload).not.toHaveProperty("reason");
    expect(first.payload.before).toBeNull();
    expect(first.payload.after).toBeNull();
    expect(first.id).not.toBe(second.id);
  });
});
