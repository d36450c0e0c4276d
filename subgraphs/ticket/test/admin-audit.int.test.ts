import { randomUUID } from "node:crypto";
import { auditEventsInOutbox } from "@urr/audit";
import type { AuthenticatedViewer } from "@urr/auth-tokens";
import type { GraphQLResponse } from "@urr/testkit";
import { ADMIN, fan, startTicketHarness, type TicketHarness } from "./support/ticket-harness.ts";
import { CANCEL_TRANSFER, list, ownedTicket } from "./support/transfer-fixtures.ts";

/**
 * Every admin action of ticket writes exactly one audit.recorded event to ticket's outbox, in the
 * transaction of its change: a refused action writes none, and when the audit row cannot be written
 * the change itself is rolled back (no change without its entry, no entry without its change).
 * Non-admins are refused by the service (FORBIDDEN), not only by the gateway's @requiresScopes.
 */
let h: TicketHarness;
beforeAll(async () => {
  h = await startTicketHarness();
});
afterAll(() => h.close());

const admin = ADMIN as AuthenticatedViewer;
const DEFINITION = {
  priceTiers: [{ name: "R", price: 100_000 }],
  sections: [{ name: "A", priceTier: "R", x: 0, y: 0, rows: [{ label: "1", seats: 4 }] }],
};
const CREATE_LAYOUT = `mutation($i: CreateSeatLayoutInput!) { createSeatLayout(input: $i) { id name } }`;
const GENERATE = `mutation($e: ID!, $l: ID!) { generateSeats(eventId: $e, layoutId: $l) { seatsCreated } }`;
const CREATE_TYPE = `mutation($i: CreateTicketTypeInput!) { createTicketType(input: $i) { id price } }`;
const UPDATE_TYPE = `mutation($id: ID!, $i: UpdateTicketTypeInput!) { updateTicketType(id: $id, input: $i) { id price } }`;

const codeOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;
const allAudits = async () => (await auditEventsInOutbox(h.sql)).length;

function dataOf<T>(res: GraphQLResponse<T>): T {
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data;
}

async function newLayout(): Promise<string> {
  const res = await h.call<{ createSeatLayout: { id: string } }>(
    CREATE_LAYOUT,
    { i: { name: `Hall ${randomUUID()}`, definition: DEFINITION } },
    ADMIN,
  );
  return dataOf(res).createSeatLayout.id;
}

async function newTicketType(eventId: string, name = "Standing"): Promise<string> {
  const res = await h.call<{ createTicketType: { id: string } }>(
    CREATE_TYPE,
    { i: { eventId, name, price: 50_000, totalQuantity: 10 } },
    ADMIN,
  );
  return dataOf(res).createTicketType.id;
}

/** A CHECK that refuses audit rows: the action's change must then roll back with its entry. */
async function whileAuditRowsFail(work: () => Promise<void>): Promise<void> {
  await h.sql.exec(
    `ALTER TABLE outbox_events ADD CONSTRAINT audit_refused CHECK (event_type <> 'audit.recorded') NOT VALID`,
  );
  try {
    await work();
  } finally {
    await h.sql.exec("ALTER TABLE outbox_events DROP CONSTRAINT audit_refused");
  }
}

describe("ticket admin actions are audited", () => {
  it("createSeatLayout: one entry with the stored layout; a fan is refused and leaves none", async () => {
    const layoutId = await newLayout();
    const [entry, ...more] = await auditEventsInOutbox(h.sql, layoutId);
    expect(more).toHaveLength(0);
    expect(entry?.payload).toMatchObject({
      source: "ticket",
      actorId: admin.userId,
      actorEmail: admin.email,
      action: "seat-layout.create",
      entityType: "SEAT_LAYOUT",
      entityId: layoutId,
      before: null,
      after: { id: layoutId, definition: DEFINITION },
    });

    const before = await allAudits();
    const name = `Fan hall ${randomUUID()}`;
    const refused = await h.call(CREATE_LAYOUT, { i: { name, definition: DEFINITION } }, fan(1));
    expect(codeOf(refused)).toBe("FORBIDDEN");
    expect(codeOf(await h.call(CREATE_LAYOUT, { i: { name, definition: DEFINITION } }))).toBe(
      "UNAUTHENTICATED",
    );
    expect(await h.count("SELECT count(*) AS n FROM seat_layouts WHERE name = $1", [name])).toBe(0);
    expect(await allAudits()).toBe(before);
  });

  it("generateSeats: one SEAT_MAP entry for the event; generating again is refused and adds none", async () => {
    const eventId = await h.publishEvent();
    const layoutId = await newLayout();
    expect(codeOf(await h.call(GENERATE, { e: eventId, l: layoutId }, fan(2)))).toBe("FORBIDDEN");
    expect(await auditEventsInOutbox(h.sql, eventId)).toHaveLength(0);

    const res = await h.call<{ generateSeats: { seatsCreated: number } }>(
      GENERATE,
      { e: eventId, l: layoutId },
      ADMIN,
    );
    expect(dataOf(res).generateSeats.seatsCreated).toBe(4);
    const again = await h.call(GENERATE, { e: eventId, l: layoutId }, ADMIN);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "SEATS_EXIST" });
    const entries = await auditEventsInOutbox(h.sql, eventId);
    expect(entries.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        action: "seat-map.generate",
        entityType: "SEAT_MAP",
        after: { eventId, layoutId, layoutName: expect.any(String), seatsCreated: 4 },
      }),
    ]);
  });

  it("createTicketType and updateTicketType: one entry each, before and after as stored", async () => {
    const eventId = await h.publishEvent();
    const typeId = await newTicketType(eventId);
    const duplicate = await h.call(
      CREATE_TYPE,
      { i: { eventId, name: "Standing", price: 1, totalQuantity: 1 } },
      ADMIN,
    );
    expect(codeOf(duplicate)).toBe("CONFLICT");

    dataOf(await h.call(UPDATE_TYPE, { id: typeId, i: { price: 55_000 } }, ADMIN));
    const tooFew = await h.call(UPDATE_TYPE, { id: typeId, i: { totalQuantity: -1 } }, ADMIN);
    expect(codeOf(tooFew)).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(UPDATE_TYPE, { id: typeId, i: { price: 1 } }, fan(3)))).toBe("FORBIDDEN");

    const entries = await auditEventsInOutbox(h.sql, typeId);
    const stored = { id: typeId, eventId, name: "Standing", totalQuantity: 10, availableQuantity: 10 };
    expect(entries.map((e) => [e.payload.action, e.payload.before, e.payload.after])).toEqual([
      ["ticket-type.create", null, { ...stored, price: 50_000 }],
      ["ticket-type.update", { ...stored, price: 50_000 }, { ...stored, price: 55_000 }],
    ]);
  });

  it("a change whose audit entry cannot be written does not happen", async () => {
    const eventId = await h.publishEvent();
    const typeId = await newTicketType(eventId);
    const layoutName = `Unaudited ${randomUUID()}`;
    await whileAuditRowsFail(async () => {
      expect(codeOf(await h.call(UPDATE_TYPE, { id: typeId, i: { price: 1 } }, ADMIN))).toBe(
        "INTERNAL_SERVER_ERROR",
      );
      const created = await h.call(
        CREATE_TYPE,
        { i: { eventId, name: "Balcony", price: 1, totalQuantity: 1 } },
        ADMIN,
      );
      expect(codeOf(created)).toBe("INTERNAL_SERVER_ERROR");
      const layout = await h.call(CREATE_LAYOUT, { i: { name: layoutName, definition: DEFINITION } }, ADMIN);
      expect(codeOf(layout)).toBe("INTERNAL_SERVER_ERROR");
    });
    expect(await h.count("SELECT price AS n FROM ticket_types WHERE id = $1", [typeId])).toBe(50_000);
    expect(await h.count("SELECT count(*) AS n FROM ticket_types WHERE event_id = $1", [eventId])).toBe(1);
    expect(await h.count("SELECT count(*) AS n FROM seat_layouts WHERE name = $1", [layoutName])).toBe(0);
    expect(await auditEventsInOutbox(h.sql, typeId)).toHaveLength(1);
  });

  it("cancelTransfer: an admin taking down someone's listing is audited, the seller's own cancel is not", async () => {
    const [seller, other] = [fan(11), fan(12)];
    const first = await list(h, seller, (await ownedTicket(h, seller)).ticketId);
    expect(codeOf(await h.call(CANCEL_TRANSFER, { id: first.id }, other))).toBe("FORBIDDEN");
    dataOf(await h.call(CANCEL_TRANSFER, { id: first.id }, ADMIN));
    const [entry, ...more] = await auditEventsInOutbox(h.sql, first.id);
    expect(more).toHaveLength(0);
    expect(entry?.payload).toMatchObject({
      action: "listing.cancel",
      entityType: "LISTING",
      before: { id: first.id, status: "LISTED" },
      after: { id: first.id, status: "CANCELLED" },
    });

    const second = await list(h, seller, (await ownedTicket(h, seller)).ticketId);
    dataOf(await h.call(CANCEL_TRANSFER, { id: second.id }, seller));
    expect(await auditEventsInOutbox(h.sql, second.id)).toHaveLength(0);
  });
});
