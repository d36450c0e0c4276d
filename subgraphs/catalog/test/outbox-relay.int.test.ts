import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { createEvent, EventDeleted, type EventTransport, OutboxRelay, type OutboxRow } from "@urr/events";
import { createLogger } from "@urr/logger";
import { createPrismaClient } from "../src/repositories/prisma.ts";
import { ADMIN, type CatalogHarness, startCatalogHarness } from "./support/catalog-harness.ts";

/** The shared outbox relay on catalog's real outbox: at least once, never twice at once, retried. */
let h: CatalogHarness;
beforeAll(async () => {
  h = await startCatalogHarness();
});
afterAll(() => h.close());

const logger = createLogger("relay-test", { level: "silent" });

class RecordingTransport implements EventTransport {
  delivered: string[] = [];
  failNext = 0;
  async deliver(rows: OutboxRow[]) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("broker unavailable");
    }
    await new Promise((r) => setTimeout(r, 20)); // hold the claimed rows a moment
    this.delivered.push(...rows.map((r) => r.id));
  }
}

async function seedOutbox(n: number): Promise<string[]> {
  const ids: string[] = [];
  await h.sql.exec("DELETE FROM outbox_events");
  for (let i = 0; i < n; i++) {
    const eventId = randomUUID();
    const event = createEvent(EventDeleted, eventId, { eventId, revision: 1 });
    ids.push(event.id);
    await h.sql.query(
      "INSERT INTO outbox_events (id, topic, message_key, event_type, envelope) VALUES ($1, 'catalog-events', $2, $3, $4::jsonb)",
      [event.id, eventId, event.type, JSON.stringify(event)],
    );
  }
  return ids;
}

it("publishes every row once when three relays run at the same time", async () => {
  const ids = await seedOutbox(120);
  const transport = new RecordingTransport();
  const clients = [0, 1, 2].map(() => createPrismaClient(new PrismaPg({ connectionString: h.dbUrl })));
  const relays = clients.map((db) => new OutboxRelay({ db, transport, logger, batchSize: 10 }));
  for (let round = 0; round < 20; round++) await Promise.all(relays.map((r) => r.relayOnce()));
  expect([...transport.delivered].sort()).toEqual([...ids].sort()); // each exactly once
  expect(await h.count("SELECT count(*) AS n FROM outbox_events WHERE published_at IS NULL")).toBe(0);
  await Promise.all(clients.map((c) => c.$disconnect()));
});

it("keeps rows unpublished with the error after a failed delivery, and delivers them on retry", async () => {
  await seedOutbox(5);
  const transport = new RecordingTransport();
  transport.failNext = 1;
  const db = createPrismaClient(new PrismaPg({ connectionString: h.dbUrl }));
  const relay = new OutboxRelay({ db, transport, logger });
  expect(await relay.relayOnce()).toBe(0);
  const [failed] = await h.sql.query<{ attempts: number; last_error: string }>(
    "SELECT attempts, last_error FROM outbox_events LIMIT 1",
  );
  expect(failed).toEqual({ attempts: 1, last_error: "broker unavailable" });
  expect(await relay.relayOnce()).toBe(5);
  expect(await h.count("SELECT count(*) AS n FROM outbox_events WHERE published_at IS NULL")).toBe(0);
  await db.$disconnect();
});

it("tells of failures quietly while a subscriber may be starting, and warns with the error after 30 s", async () => {
  await seedOutbox(2);
  const transport = new RecordingTransport();
  transport.failNext = 3;
  const lines: { level: number; msg: string; reason?: string; err?: unknown }[] = [];
  const recording = createLogger("relay-test", {
    level: "info",
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  const db = createPrismaClient(new PrismaPg({ connectionString: h.dbUrl }));
  const relay = new OutboxRelay({ db, transport, logger: recording });
  const now = Date.now();
  const clock = jest.spyOn(Date, "now");
  try {
    clock.mockReturnValue(now);
    await relay.relayOnce();
    clock.mockReturnValue(now + 29_000);
    await relay.relayOnce();
    clock.mockReturnValue(now + 31_000);
    await relay.relayOnce();
    expect(await relay.relayOnce()).toBe(2);
  } finally {
    clock.mockRestore();
    await db.$disconnect();
  }
  const levels = lines.map((l) => [l.level, l.msg]);
  expect(levels).toEqual([
    [30, "outbox delivery failed; will retry"],
    [30, "outbox delivery failed; will retry"],
    [40, "outbox delivery failing; will retry"],
    [30, "outbox delivery recovered"],
  ]);
  expect(lines[0]?.reason).toBe("broker unavailable");
  expect(lines[0]?.err).toBeUndefined(); // no stack trace while it may be a start
  expect(lines[2]?.err).toBeDefined();
});

it("writes admin changes to the outbox in the same transaction (nothing on failure)", async () => {
  await h.sql.exec("DELETE FROM outbox_events");
  await expect(h.app.admin.createArtist(ADMIN, { name: "" })).rejects.toMatchObject({
    extensions: { code: "BAD_USER_INPUT" },
  });
  expect(await h.count("SELECT count(*) AS n FROM outbox_events")).toBe(0);
  await h.app.admin.createArtist(ADMIN, { name: `Outbox ${Date.now()}` });
  expect(
    await h.count("SELECT count(*) AS n FROM outbox_events WHERE event_type = 'catalog.artist.upserted'"),
  ).toBe(1);
});
