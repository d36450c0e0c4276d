import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type AuthenticatedViewer,
  generateSigningKeyPair,
  importSigningKey,
  signServiceToken,
} from "@urr/auth-tokens";
import { createLogger } from "@urr/logger";
import Redis from "ioredis";
import {
  ADMIN,
  type CatalogHarness,
  startCatalogHarness,
} from "../../subgraphs/catalog/test/support/catalog-harness.ts";
import { EntryPasses } from "../../subgraphs/queue/src/domain/entry-passes.ts";
import { TieredPresale, tiersFrom } from "../../subgraphs/queue/src/domain/presale.ts";
import { QueueService } from "../../subgraphs/queue/src/domain/queue.service.ts";
import { CatalogClient } from "../../subgraphs/queue/src/references/catalog-client.ts";
import { RedisEventDirectory } from "../../subgraphs/queue/src/store/event-directory.ts";
import { failClosed } from "../../subgraphs/queue/src/store/fail-closed.ts";
import { MemoryQueueStore } from "../../subgraphs/queue/src/store/memory-queue-store.ts";
import { RecoveringEventDirectory } from "../../subgraphs/queue/src/store/recovering-event-directory.ts";

/**
 * The waiting room's sale windows rebuilt from their owner: the real catalog on PostgreSQL serving
 * its internal event-state API, the queue's client and directory on real Redis (own key prefix).
 */
const SECRET = "queue-catalog-service-secret-0123456789abcdef";
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PREFIX = `it:recovery:${randomBytes(4).toString("hex")}:`;
const logger = createLogger("recovery-test", { level: "silent" });
const DAY = 86_400_000;
const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const fan: AuthenticatedViewer = {
  authenticated: true,
  userId: "00000000-0000-4000-8000-0000000f0001",
  email: "fan@urr.test",
  role: "USER",
};

let catalog: CatalogHarness;
let redis: Redis;
let artistId: string;

beforeAll(async () => {
  catalog = await startCatalogHarness({ INTERNAL_API_SECRET: SECRET });
  redis = new Redis(REDIS_URL, { keyPrefix: PREFIX, maxRetriesPerRequest: 1 });
  const artist = await catalog.call<{ createArtist: { id: string } }>(
    "mutation($i: CreateArtistInput!) { createArtist(input: $i) { id } }",
    { i: { name: `Recovery ${randomUUID()}` } },
    ADMIN,
  );
  artistId = artist.data?.createArtist.id ?? "";
});

afterAll(async () => {
  await dropKeys();
  redis.disconnect();
  await catalog.close();
});

/** What a Redis restart does to this test's keys (only these: other tests share the server). */
async function dropKeys() {
  const plain = new Redis(REDIS_URL);
  const keys = await plain.keys(`${PREFIX}*`);
  if (keys.length) await plain.del(...keys);
  plain.disconnect();
}

async function createEvent(saleFrom: number, saleTo: number, title = "Night"): Promise<string> {
  const res = await catalog.call<{ createEvent: { id: string } }>(
    "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
    {
      i: {
        artistId,
        title,
        venue: "KSPO Dome",
        startsAt: iso(saleTo + 1),
        saleStartsAt: iso(saleFrom),
        saleEndsAt: iso(saleTo),
      },
    },
    ADMIN,
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.createEvent.id;
}

async function waitingRoom(baseUrl = catalog.baseUrl) {
  const client = new CatalogClient({ baseUrl, secret: SECRET, timeoutMs: 1_000, baseDelayMs: 5 });
  const asked: string[] = [];
  const recording = {
    event: (id: string) => {
      asked.push(id);
      return client.event(id);
    },
    openEvents: () => client.openEvents(2),
  };
  const stored = failClosed(new RedisEventDirectory(redis), "The waiting room", logger);
  const directory = new RecoveringEventDirectory({
    directory: stored,
    catalog: recording,
    logger,
    unknownTtlMs: 60_000,
  });
  const keys = await generateSigningKeyPair();
  const queue = new QueueService({
    store: new MemoryQueueStore(1_000),
    directory,
    presale: new TieredPresale({ tierOf: tiersFrom(directory), stageMinutes: 60 }),
    passes: new EntryPasses(await importSigningKey(keys.privateKeyPem), 600),
  });
  return { queue, directory, stored, asked };
}

describe("catalog's internal event-state API", () => {
  it("serves one event's state to a service token only, 404 for an unknown one", async () => {
    const eventId = await createEvent(-1, 5);
    const url = `${catalog.baseUrl}/internal/event-states/${eventId}`;
    expect((await fetch(url)).status).toBe(401);
    const forged = await signServiceToken("x".repeat(40), "queue", "catalog");
    expect((await fetch(url, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    const forTicket = await signServiceToken(SECRET, "queue", "ticket");
    expect((await fetch(url, { headers: { authorization: `Bearer ${forTicket}` } })).status).toBe(401);

    const client = new CatalogClient({ baseUrl: catalog.baseUrl, secret: SECRET });
    await expect(client.event(eventId)).resolves.toMatchObject({
      eventId,
      artistId,
      revision: 1,
      cancelledAt: null,
    });
    await expect(client.event(randomUUID())).resolves.toBeNull();
  });

  it("serves every open event (on sale or upcoming), page by page, and no ended or cancelled one", async () => {
    const open = [await createEvent(-1, 5), await createEvent(3, 9), await createEvent(-2, 7)];
    const cancelled = await createEvent(-1, 5);
    await catalog.call(
      'mutation($id: ID!) { cancelEvent(id: $id, reason: "rain") { id } }',
      { id: cancelled },
      ADMIN,
    );
    const ended = await createEvent(-1, 5);
    await catalog.sql.query(
      "UPDATE events SET sale_starts_at = now() - interval '2 days', sale_ends_at = now() - interval '1 hour' WHERE id = $1",
      [ended],
    );

    const client = new CatalogClient({ baseUrl: catalog.baseUrl, secret: SECRET });
    const pages: string[][] = [];
    for await (const page of client.openEvents(2)) pages.push(page.map((e) => e.eventId));
    const seen = pages.flat();
    expect(pages.every((p) => p.length <= 2)).toBe(true);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(open));
    expect(seen).not.toContain(cancelled);
    expect(seen).not.toContain(ended);

    // A made-up cursor or page size is refused before it reaches the database.
    const token = await signServiceToken(SECRET, "queue", "catalog");
    const cursorOfNothing = Buffer.from(JSON.stringify(["not-a-date", randomUUID()])).toString("base64url");
    for (const query of [
      "open=true&after=garbage",
      `open=true&after=${cursorOfNothing}`,
      "open=true&limit=0",
      "open=false",
    ]) {
      const res = await fetch(`${catalog.baseUrl}/internal/event-states?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(400);
    }
  });
});

describe("the waiting room after its store lost the sale windows", () => {
  it("a fan joins an event the store forgot: the window is read from catalog once, then kept", async () => {
    const eventId = await createEvent(-1, 5);
    const { queue, stored, asked } = await waitingRoom();
    await dropKeys();
    await expect(stored.event(eventId)).resolves.toBeNull();
    await expect(queue.join(fan, eventId)).resolves.toMatchObject({
      state: "ACTIVE",
      entryToken: expect.any(String),
    });
    await expect(stored.event(eventId)).resolves.toMatchObject({ eventId, revision: 1 });
    await queue.status(fan, eventId);
    expect(asked).toEqual([eventId]);
  });

  it("a recovered window keeps catalog's rules: a cancelled event is refused as cancelled, not unknown", async () => {
    const eventId = await createEvent(-1, 5);
    await catalog.call(
      'mutation($id: ID!) { cancelEvent(id: $id, reason: "rain") { id } }',
      { id: eventId },
      ADMIN,
    );
    const { queue } = await waitingRoom();
    await expect(queue.join(fan, eventId)).rejects.toMatchObject({
      extensions: { code: "CONFLICT", reason: "EVENT_CANCELLED" },
    });
  });

  it("start-up reads every open event in bulk", async () => {
    const ids = [await createEvent(-1, 5), await createEvent(2, 6)];
    await dropKeys();
    const { directory, stored } = await waitingRoom();
    await directory.warmUp({ attempts: 3, baseDelayMs: 10 }).done;
    for (const id of ids) await expect(stored.event(id)).resolves.toMatchObject({ eventId: id });
  });

  it("catalog down: SERVICE_UNAVAILABLE (retry shortly), not NOT_FOUND", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve)); // nothing listens there now
    const { queue } = await waitingRoom(`http://127.0.0.1:${port}`);
    await expect(queue.join(fan, randomUUID())).rejects.toMatchObject({
      extensions: { code: "SERVICE_UNAVAILABLE", reason: "CATALOG_UNAVAILABLE" },
    });
  });

  it("an answer that breaks the contract is refused: no window is made of it", async () => {
    const eventId = randomUUID();
    // A catalog that drifted: instants as epoch numbers, the revision as text. A cast would make a
    // working window of it (new Date(number) is a date, "1" compares as a number in Lua).
    const drifted = {
      eventId,
      artistId,
      title: "x",
      startsAt: Date.now() + 10 * DAY,
      saleStartsAt: Date.now() - DAY,
      saleEndsAt: Date.now() + 5 * DAY,
      cancelledAt: null,
      revision: "1",
    };
    const server: Server = createServer((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(drifted)),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { queue, stored } = await waitingRoom(baseUrl);
      await expect(queue.join(fan, eventId)).rejects.toMatchObject({
        extensions: { code: "SERVICE_UNAVAILABLE", reason: "CATALOG_UNAVAILABLE" },
      });
      await expect(stored.event(eventId)).resolves.toBeNull();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
