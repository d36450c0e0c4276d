import { firstErrorCode } from "@urr/testkit";
import { ADMIN, type CatalogHarness, FAN, startCatalogHarness } from "./support/catalog-harness.ts";

let h: CatalogHarness;
beforeAll(async () => {
  h = await startCatalogHarness();
});
afterAll(() => h.close());

const DAY = 86_400_000;
const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();
let n = 0;

async function createArtist(name = `Artist ${++n} ${Date.now()}`) {
  const res = await h.call<{ createArtist: { id: string } }>(
    "mutation($i: CreateArtistInput!) { createArtist(input: $i) { id } }",
    { i: { name, genre: "K-pop" } },
    ADMIN,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createArtist.id;
}

const CREATE =
  "mutation($i: CreateEventInput!) { createEvent(input: $i) { id title status revision: updatedAt } }";

async function createEvent(artistId: string, overrides: Record<string, unknown> = {}) {
  const res = await h.call<{ createEvent: { id: string } }>(
    CREATE,
    {
      i: {
        artistId,
        title: "Show",
        venue: "Hall",
        startsAt: iso(30),
        saleStartsAt: iso(-1),
        saleEndsAt: iso(29),
        ...overrides,
      },
    },
    ADMIN,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createEvent.id;
}

describe("admin authorization in the service (not only the schema)", () => {
  it("refuses fans and anonymous callers and writes nothing", async () => {
    const artistId = await createArtist();
    const before = await h.count("SELECT count(*) AS n FROM events");
    const input = {
      artistId,
      title: "X",
      venue: "Y",
      startsAt: iso(30),
      saleStartsAt: iso(1),
      saleEndsAt: iso(2),
    };
    expect((await h.call(CREATE, { i: input }, FAN)).errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
      reason: "ADMIN_ONLY",
    });
    expect(firstErrorCode(await h.call(CREATE, { i: input }))).toBe("UNAUTHENTICATED");
    expect(firstErrorCode(await h.call("{ auditLog { entries { id } } }", {}, FAN))).toBe("FORBIDDEN");
    expect(await h.count("SELECT count(*) AS n FROM events")).toBe(before);
  });
});

describe("createEvent", () => {
  it("writes the event, its audit record and its catalog event in one go", async () => {
    const artistId = await createArtist();
    const id = await createEvent(artistId, { title: "  Audited Show " });
    const [audit] = await h.sql.query<{
      actor_id: string;
      action: string;
      before: unknown;
      after: { title: string };
    }>("SELECT actor_id, action, before, after FROM audit_entries WHERE entity_id = $1", [id]);
    expect(audit).toMatchObject({
      actor_id: ADMIN.authenticated ? ADMIN.userId : "",
      action: "event.create",
      before: null,
    });
    expect(audit!.after.title).toBe("Audited Show");
    const [outbox] = await h.sql.query<{
      topic: string;
      message_key: string;
      event_type: string;
      envelope: { payload: { revision: number } };
    }>("SELECT topic, message_key, event_type, envelope FROM outbox_events WHERE message_key = $1", [id]);
    expect(outbox).toMatchObject({
      topic: "catalog-events",
      message_key: id,
      event_type: "catalog.event.upserted",
    });
    expect(outbox!.envelope.payload.revision).toBe(1);
  });

  it.each([
    ["sale ending before it starts", { saleStartsAt: iso(5), saleEndsAt: iso(4) }, "input.saleEndsAt"],
    ["sale ending after the show", { saleEndsAt: iso(31) }, "input.saleEndsAt"],
    [
      "a show in the past",
      { startsAt: iso(-1), saleStartsAt: iso(-3), saleEndsAt: iso(-2) },
      "input.startsAt",
    ],
    ["an empty title", { title: "   " }, "input.title"],
    ["a malformed artist id", { artistId: "abc" }, "input.artistId"],
  ])("refuses %s, naming the field, writing nothing", async (_label, change, field) => {
    const artistId = await createArtist();
    const before = await h.count("SELECT count(*) AS n FROM events");
    const res = await h.call(
      CREATE,
      {
        i: {
          artistId,
          title: "Show",
          venue: "Hall",
          startsAt: iso(30),
          saleStartsAt: iso(-1),
          saleEndsAt: iso(29),
          ...change,
        },
      },
      ADMIN,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await h.count("SELECT count(*) AS n FROM events")).toBe(before);
  });

  it("answers NOT_FOUND for an unknown artist and writes no audit or outbox row", async () => {
    const audit = await h.count("SELECT count(*) AS n FROM audit_entries");
    const outbox = await h.count("SELECT count(*) AS n FROM outbox_events");
    const res = await h.call(
      CREATE,
      {
        i: {
          artistId: "00000000-0000-4000-8000-000000000999",
          title: "S",
          venue: "V",
          startsAt: iso(30),
          saleStartsAt: iso(1),
          saleEndsAt: iso(2),
        },
      },
      ADMIN,
    );
    expect(firstErrorCode(res)).toBe("NOT_FOUND");
    expect(await h.count("SELECT count(*) AS n FROM audit_entries")).toBe(audit);
    expect(await h.count("SELECT count(*) AS n FROM outbox_events")).toBe(outbox);
  });
});

describe("update, cancel, delete", () => {
  const UPDATE =
    "mutation($id: ID!, $i: UpdateEventInput!) { updateEvent(id: $id, input: $i) { id title venue } }";

  it("serialises 10 concurrent edits: every one applied and audited, revisions strictly increasing", async () => {
    const id = await createEvent(await createArtist());
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h.call(UPDATE, { id, i: { venue: `Hall ${i}` } }, ADMIN)),
    );
    expect(results.every((r) => !r.errors)).toBe(true);
    const revisions = await h.sql.query<{ r: number }>(
      "SELECT (envelope->'payload'->>'revision')::int AS r FROM outbox_events WHERE message_key = $1 ORDER BY r",
      [id],
    );
    expect(revisions.map((row) => row.r)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(
      await h.count(
        "SELECT count(*) AS n FROM audit_entries WHERE entity_id = $1 AND action = 'event.update'",
        [id],
      ),
    ).toBe(10);
  });

  it("keeps the schedule valid across partial updates", async () => {
    const id = await createEvent(await createArtist());
    const res = await h.call(UPDATE, { id, i: { saleEndsAt: iso(40) } }, ADMIN);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.saleEndsAt" });
  });

  it("cancels once; a cancelled event cannot be cancelled or edited again", async () => {
    const id = await createEvent(await createArtist());
    const CANCEL =
      'mutation($id: ID!) { cancelEvent(id: $id, reason: "Venue closed") { status cancelReason } }';
    const cancelled = await h.call<{ cancelEvent: { status: string; cancelReason: string } }>(
      CANCEL,
      { id },
      ADMIN,
    );
    expect(cancelled.data?.cancelEvent).toEqual({ status: "CANCELLED", cancelReason: "Venue closed" });
    expect((await h.call(CANCEL, { id }, ADMIN)).errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "EVENT_CANCELLED",
    });
    expect(firstErrorCode(await h.call(UPDATE, { id, i: { title: "New" } }, ADMIN))).toBe("CONFLICT");
  });

  it("deletes an event without sales, and refuses one that sold tickets", async () => {
    const artistId = await createArtist();
    const unsold = await createEvent(artistId);
    const sold = await createEvent(artistId);
    await h.sql.query("INSERT INTO event_sales (event_id, tickets_sold, updated_at) VALUES ($1, 3, now())", [
      sold,
    ]);
    const DELETE = "mutation($id: ID!) { deleteEvent(id: $id) { deletedEventId } }";
    const refused = await h.call(DELETE, { id: sold }, ADMIN);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "EVENT_HAS_SALES",
      ticketsSold: 3,
    });
    expect(await h.count("SELECT count(*) AS n FROM events WHERE id = $1", [sold])).toBe(1);
    const deleted = await h.call<{ deleteEvent: { deletedEventId: string } }>(DELETE, { id: unsold }, ADMIN);
    expect(deleted.data?.deleteEvent.deletedEventId).toBe(unsold);
    expect(
      await h.count(
        "SELECT count(*) AS n FROM outbox_events WHERE message_key = $1 AND event_type = 'catalog.event.deleted'",
        [unsold],
      ),
    ).toBe(1);
    expect(firstErrorCode(await h.call(DELETE, { id: unsold }, ADMIN))).toBe("NOT_FOUND");
  });

  it("keeps an audit trail queryable by record, newest first", async () => {
    const id = await createEvent(await createArtist());
    await h.call(UPDATE, { id, i: { title: "Renamed" } }, ADMIN);
    const log = await h.call<{
      auditLog: {
        entries: {
          action: string;
          before: { title: string };
          after: { title: string };
          actorEmail: string;
        }[];
      };
    }>(
      "query($id: ID!) { auditLog(entityType: EVENT, entityId: $id) { entries { action actorEmail before after } } }",
      { id },
      ADMIN,
    );
    expect(log.data?.auditLog.entries.map((e) => e.action)).toEqual(["event.update", "event.create"]);
    expect(log.data?.auditLog.entries[0]).toMatchObject({
      actorEmail: "admin@urr.test",
      before: { title: "Show" },
      after: { title: "Renamed" },
    });
  });
});

describe("artists", () => {
  it("refuses a duplicate name with CONFLICT", async () => {
    const name = `Unique ${Date.now()}`;
    await createArtist(name);
    const res = await h.call(
      "mutation($i: CreateArtistInput!) { createArtist(input: $i) { id } }",
      { i: { name } },
      ADMIN,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.name" });
  });

  it("owns the fan-club price: 30,000 by default, set by admins, announced with a growing revision", async () => {
    const id = await createArtist();
    const price = () =>
      h.call<{ artist: { membershipPrice: number } }>(
        "query($id: ID!) { artist(id: $id) { membershipPrice } }",
        { id },
      );
    expect((await price()).data?.artist.membershipPrice).toBe(30_000);
    const UPDATE =
      "mutation($id: ID!, $i: UpdateArtistInput!) { updateArtist(id: $id, input: $i) { membershipPrice } }";
    expect((await h.call(UPDATE, { id, i: { membershipPrice: 45_000 } }, ADMIN)).errors).toBeUndefined();
    expect((await price()).data?.artist.membershipPrice).toBe(45_000);
    for (const bad of [0, -1, 10_000_001]) {
      const res = await h.call(UPDATE, { id, i: { membershipPrice: bad } }, ADMIN);
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "input.membershipPrice",
      });
    }
    expect(firstErrorCode(await h.call(UPDATE, { id, i: { membershipPrice: 1 } }, FAN))).toBe("FORBIDDEN");
    const announced = await h.sql.query<{ payload: { membershipPrice: number; revision: number } }>(
      `SELECT envelope->'payload' AS payload FROM outbox_events
       WHERE event_type = 'catalog.artist.upserted' AND message_key = $1 ORDER BY created_at`,
      [id],
    );
    expect(announced.map((r) => [r.payload.membershipPrice, r.payload.revision])).toEqual([
      [30_000, 1],
      [45_000, 2],
    ]);
  });
});
