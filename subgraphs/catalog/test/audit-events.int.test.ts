import { randomUUID } from "node:crypto";
import { auditEnvelope } from "@urr/audit";
import { AUDIT_TOPIC, SIGNATURE_HEADER, sign } from "@urr/events";
import { firstErrorCode } from "@urr/testkit";
import { ADMIN, type CatalogHarness, FAN, startCatalogHarness } from "./support/catalog-harness.ts";

/**
 * auditLog shows every subgraph's admin actions: the others' audit.recorded events (audit-events)
 * are projected into catalog's audit log, here delivered as the embedded backbone delivers them
 * (signed HTTP to /internal/events; the Kafka path is audit-events-kafka.int.test.ts).
 */
const SECRET = "audit-delivery-secret-audit-delivery-secret";
let h: CatalogHarness;
beforeAll(async () => {
  h = await startCatalogHarness({ EVENT_DELIVERY_SECRET: SECRET });
});
afterAll(() => h.close());

const admin = {
  authenticated: true as const,
  userId: randomUUID(),
  email: "ops@urr.test",
  role: "ADMIN" as const,
};

function ticketTypeUpdated(entityId = randomUUID()) {
  return auditEnvelope("ticket", admin, {
    action: "ticket-type.update",
    entityType: "TICKET_TYPE",
    entityId,
    before: { price: 99000 },
    after: { price: 110000 },
    reason: "price correction",
  });
}

async function deliver(events: unknown[]): Promise<{ status: number; outcomes?: string[] }> {
  const body = JSON.stringify({ events, deliveries: events.map(() => ({ topic: AUDIT_TOPIC })) });
  const response = await fetch(`${h.baseUrl}/internal/events`, {
    method: "POST",
    headers: { "content-type": "application/json", [SIGNATURE_HEADER]: sign(body, SECRET) },
    body,
  });
  return { status: response.status, ...((await response.json()) as { outcomes?: string[] }) };
}

const LOG = `query($source: AuditSource, $type: AuditEntityType, $id: ID) {
  auditLog(source: $source, entityType: $type, entityId: $id, first: 100) {
    entries { id source actorId actorEmail action entityType entityId before after reason at } } }`;

interface Entry {
  id: string;
  source: string;
  action: string;
  entityId: string;
  reason: string | null;
}
async function log(variables: Record<string, unknown> = {}): Promise<Entry[]> {
  const res = await h.call<{ auditLog: { entries: Entry[] } }>(LOG, variables, ADMIN);
  expect(res.errors).toBeUndefined();
  return res.data!.auditLog.entries;
}

it("shows another subgraph's action once, however often it is delivered", async () => {
  const event = ticketTypeUpdated();
  const first = await deliver([event, event]);
  const retried = await deliver([event]); // the relay's retry after a lost answer
  const entries = await log({ id: event.payload.entityId });
  expect(entries).toHaveLength(1);
  expect([first, retried]).toEqual([
    { status: 200, outcomes: ["applied", "duplicate"] },
    { status: 200, outcomes: ["duplicate"] },
  ]);
  expect(entries).toEqual([
    {
      id: event.id,
      source: "TICKET",
      actorId: admin.userId,
      actorEmail: "ops@urr.test",
      action: "ticket-type.update",
      entityType: "TICKET_TYPE",
      entityId: event.payload.entityId,
      before: { price: 99000 },
      after: { price: 110000 },
      reason: "price correction",
      at: event.payload.at,
    },
  ]);
  expect(await h.count("SELECT count(*) AS n FROM processed_events WHERE event_id = $1", [event.id])).toBe(1);
});

it("applies one of ten concurrent deliveries of one event (the others wait and see it processed)", async () => {
  const event = ticketTypeUpdated();
  const answers = await Promise.all(Array.from({ length: 10 }, () => deliver([event])));
  expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
  expect(answers.flatMap((a) => a.outcomes ?? []).sort()).toEqual(["applied", ...Array(9).fill("duplicate")]);
  expect(await h.count("SELECT count(*) AS n FROM audit_entries WHERE id = $1", [event.id])).toBe(1);
  expect(await h.count("SELECT count(*) AS n FROM processed_events WHERE event_id = $1", [event.id])).toBe(1);
});

it("rejects what the contract refuses (dead letter), writes nothing, and goes on with the rest", async () => {
  const good = ticketTypeUpdated();
  const badType = {
    ...ticketTypeUpdated(),
    payload: { ...ticketTypeUpdated().payload, entityType: "SPACESHIP" },
  };
  const badAction = {
    ...ticketTypeUpdated(),
    payload: { ...ticketTypeUpdated().payload, action: "Drop Tables" },
  };
  const noEnvelope = { type: "audit.recorded", payload: good.payload };
  const entries = await h.count("SELECT count(*) AS n FROM audit_entries");
  expect(await deliver([badType, badAction, noEnvelope, good])).toEqual({
    status: 200,
    outcomes: ["rejected", "rejected", "rejected", "applied"],
  });
  expect(await h.count("SELECT count(*) AS n FROM audit_entries")).toBe(entries + 1);
  expect(
    await h.count("SELECT count(*) AS n FROM processed_events WHERE event_id = ANY($1::uuid[])", [
      [badType.id, badAction.id],
    ]),
  ).toBe(0);
});

it("tells catalog's own actions from the others' by source, and filters by it", async () => {
  const created = await h.call<{ createArtist: { id: string } }>(
    "mutation($n: String!) { createArtist(input: { name: $n }) { id } }",
    { n: `Audit Source ${Date.now()}` },
    ADMIN,
  );
  const artistId = created.data!.createArtist.id;
  const queueCleared = auditEnvelope("queue", admin, {
    action: "queue.clear",
    entityType: "QUEUE",
    entityId: randomUUID(),
    before: { waiting: 12 },
    after: { waiting: 0 },
  });
  await deliver([queueCleared]);
  expect((await log({ id: artistId })).map((e) => [e.source, e.action])).toEqual([
    ["CATALOG", "artist.create"],
  ]);
  expect((await log({ source: "QUEUE" })).map((e) => e.id)).toEqual([queueCleared.id]);
  expect((await log({ source: "CATALOG" })).every((e) => e.source === "CATALOG")).toBe(true);
  expect((await log({ type: "QUEUE" })).map((e) => e.id)).toEqual([queueCleared.id]);
  expect((await log()).map((e) => e.source)).toEqual(expect.arrayContaining(["CATALOG", "QUEUE", "TICKET"]));
});

it("keeps an entity id that is not a UUID (the contract allows any up to 100 characters)", async () => {
  const event = auditEnvelope("auth", admin, {
    action: "api-key.revoke",
    entityType: "API_KEY",
    entityId: "urr_live_7f3a",
    before: { revoked: false },
    after: { revoked: true },
  });
  expect((await deliver([event])).outcomes).toEqual(["applied"]);
  expect((await log({ id: "urr_live_7f3a" })).map((e) => e.source)).toEqual(["AUTH"]);
  expect((await h.call(LOG, { id: "x".repeat(101) }, ADMIN)).errors?.[0]?.extensions).toMatchObject({
    code: "BAD_USER_INPUT",
    field: "entityId",
  });
});

it("refuses a delivery without the shared secret's signature", async () => {
  const body = JSON.stringify({ events: [ticketTypeUpdated()] });
  const response = await fetch(`${h.baseUrl}/internal/events`, {
    method: "POST",
    headers: { "content-type": "application/json", [SIGNATURE_HEADER]: sign(body, "y".repeat(40)) },
    body,
  });
  expect(response.status).toBe(401);
});

it("records the reason of catalog's own cancellation like the others' reasons", async () => {
  const artist = await h.call<{ createArtist: { id: string } }>(
    "mutation($n: String!) { createArtist(input: { name: $n }) { id } }",
    { n: `Audit Reason ${Date.now()}` },
    ADMIN,
  );
  const day = 86_400_000;
  const at = (days: number) => new Date(Date.now() + days * day).toISOString();
  const event = await h.call<{ createEvent: { id: string } }>(
    "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
    {
      i: {
        artistId: artist.data!.createArtist.id,
        title: "Rained Out",
        venue: "Park",
        startsAt: at(30),
        saleStartsAt: at(1),
        saleEndsAt: at(29),
      },
    },
    ADMIN,
  );
  const id = event.data!.createEvent.id;
  const cancelled = await h.call(
    'mutation($id: ID!) { cancelEvent(id: $id, reason: "  storm warning ") { id } }',
    { id },
    ADMIN,
  );
  expect(cancelled.errors).toBeUndefined();
  expect((await log({ id })).map((e) => [e.source, e.action, e.reason])).toEqual([
    ["CATALOG", "event.cancel", "storm warning"],
    ["CATALOG", "event.create", null],
  ]);
});

it("is for admins only, whichever subgraph's actions are asked for", async () => {
  await deliver([ticketTypeUpdated()]);
  for (const source of [undefined, "TICKET", "CATALOG"]) {
    expect(firstErrorCode(await h.call(LOG, { source }, FAN))).toBe("FORBIDDEN");
    expect(firstErrorCode(await h.call(LOG, { source }))).toBe("UNAUTHENTICATED");
  }
});
