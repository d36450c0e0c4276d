import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AuthenticatedViewer, generateSigningKeyPair, importSigningKey } from "@urr/auth-tokens";
import { MEMBERSHIP_TIER_ROUTE, MembershipTierState } from "@urr/contracts";
import { createLogger } from "@urr/logger";
import { CircuitBreaker, sendContract, serviceTokenGuard } from "@urr/subgraph-kit";
import express from "express";
import Redis from "ioredis";
import { EntryPasses } from "../src/domain/entry-passes.ts";
import { TieredPresale, tiersFrom } from "../src/domain/presale.ts";
import { QueueService } from "../src/domain/queue.service.ts";
import { TicketClient } from "../src/references/ticket-client.ts";
import { type EventDirectory, RedisEventDirectory } from "../src/store/event-directory.ts";
import { MemoryQueueStore } from "../src/store/memory-queue-store.ts";
import { RecoveringTierDirectory } from "../src/store/recovering-tier-directory.ts";

/**
 * Pre-sale tiers rebuilt from ticket after the store lost them (a Redis flush): the queue asks
 * ticket's signed internal route through the real TicketClient and saves the answer under the
 * membership-events revision guard. Ticket here is a recording table behind the same guard and
 * contract: it only records what it was asked and answers what the table holds.
 */
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const SECRET = "q".repeat(40);
const HOUR = 3_600_000;
const logger = createLogger("queue-test", { level: "silent" });
type Membership = MembershipTierState["membership"];

const fan = (userId: string): AuthenticatedViewer => ({
  authenticated: true,
  userId,
  email: `${userId}@urr.test`,
  role: "USER",
});

class RecordingTicket {
  readonly memberships = new Map<string, Membership>();
  readonly asked: string[] = [];
  down = false;
  /** Holds every answer until released, so a membership-event can land while a lookup is in flight. */
  gate: Promise<void> = Promise.resolve();
  private server?: Server;

  async listen(): Promise<string> {
    const app = express();
    app.get(
      MEMBERSHIP_TIER_ROUTE,
      serviceTokenGuard({ secret: SECRET, audience: "ticket", logger }),
      async (req, res) => {
        const userId = String(req.query.userId);
        const artistId = String(req.query.artistId);
        this.asked.push(`${artistId}|${userId}`);
        await this.gate;
        if (this.down) {
          res.status(503).json({ error: "unavailable" });
          return;
        }
        const membership = this.memberships.get(`${artistId}|${userId}`) ?? null;
        sendContract(res, MembershipTierState, { userId, artistId, membership }, logger);
      },
    );
    const server = app.listen(0, "127.0.0.1");
    this.server = server;
    await new Promise((resolve) => server.once("listening", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const connections: Redis[] = [];
let ticket: RecordingTicket;
let ticketUrl: string;
beforeAll(async () => {
  ticket = new RecordingTicket();
  ticketUrl = await ticket.listen();
});
afterAll(async () => {
  await ticket.close();
  await Promise.all(connections.map((c) => c.quit()));
});
beforeEach(() => {
  ticket.asked.length = 0;
  ticket.memberships.clear();
  ticket.down = false;
  ticket.gate = Promise.resolve();
});

async function setup() {
  let now = Date.parse("2026-12-24T10:00:00.000Z");
  // A new key prefix per test: the store starts empty, as after a flush.
  const connection = new Redis(REDIS_URL, { keyPrefix: `urr:test:tiers:${randomUUID()}:` });
  connections.push(connection);
  const flushed = new RedisEventDirectory(connection);
  const directory = new RecoveringTierDirectory({
    directory: flushed,
    ticket: new TicketClient({
      baseUrl: ticketUrl,
      secret: SECRET,
      timeoutMs: 1_000,
      baseDelayMs: 1,
      breaker: new CircuitBreaker({ service: "ticket", failureThreshold: 100, resetAfterMs: 1 }),
    }),
    logger,
    nonMemberTtlMs: 5_000,
    now: () => now,
  });
  const keys = await generateSigningKeyPair();
  const queue = new QueueService({
    store: new MemoryQueueStore(1_000),
    directory,
    presale: new TieredPresale({ tierOf: tiersFrom(directory), stageMinutes: 60 }),
    passes: new EntryPasses(await importSigningKey(keys.privateKeyPem), 600),
    now: () => now,
  });
  // The general sale opens in 2.5 hours: only the DIAMOND stage (3 hours before) is open now.
  const artistId = randomUUID();
  const eventId = randomUUID();
  await flushed.saveEvent({
    eventId,
    artistId,
    saleStartsAt: new Date(now + 2.5 * HOUR),
    saleEndsAt: new Date(now + 200 * HOUR),
    cancelledAt: null,
    revision: 1,
  });
  const member = (tier: "SILVER" | "GOLD" | "DIAMOND", revision: number): Membership => ({
    tier,
    status: "ACTIVE",
    expiresAt: new Date(now + 300 * 24 * HOUR).toISOString(),
    revision,
  });
  return {
    directory: directory as EventDirectory,
    queue,
    artistId,
    eventId,
    member,
    advance: (ms: number) => (now += ms),
  };
}

const codeOf = (error: unknown) => (error as { extensions?: { code?: string } }).extensions?.code;

describe("pre-sale tiers rebuilt from ticket when the store lost them", () => {
  it("a DIAMOND member whose tier was wiped is admitted in the DIAMOND stage, asking ticket once", async () => {
    const { queue, artistId, eventId, member } = await setup();
    const userId = randomUUID();
    ticket.memberships.set(`${artistId}|${userId}`, member("DIAMOND", 4));
    const joins = await Promise.all(Array.from({ length: 5 }, () => queue.join(fan(userId), eventId)));
    expect(joins.every((view) => view.state === "ACTIVE")).toBe(true);
    await queue.join(fan(userId), eventId);
    expect(ticket.asked).toEqual([`${artistId}|${userId}`]); // single flight, then kept in Redis
  });

  it("an event newer than the recovered answer wins", async () => {
    const { directory, queue, artistId, eventId, member } = await setup();
    const userId = randomUUID();
    ticket.memberships.set(`${artistId}|${userId}`, member("GOLD", 3));
    let release: () => void = () => {};
    ticket.gate = new Promise((resolve) => (release = resolve));
    const join = queue.join(fan(userId), eventId);
    for (let i = 0; i < 200 && ticket.asked.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(ticket.asked).toHaveLength(1);
    // membership-events delivers revision 4 (tier changed to DIAMOND) while ticket's answer is in flight.
    const delivered = member("DIAMOND", 4);
    await directory.saveTier(artistId, userId, {
      tier: delivered?.tier ?? "",
      expiresAt: new Date(delivered?.expiresAt ?? 0),
      revision: 4,
    });
    release();
    await expect(join).resolves.toMatchObject({ state: "ACTIVE" });
    await expect(directory.tier(artistId, userId)).resolves.toMatchObject({ tier: "DIAMOND", revision: 4 });
  });

  it("a fan without a membership waits for the general sale; remembered briefly, until an event says otherwise", async () => {
    const { directory, queue, artistId, eventId, member, advance } = await setup();
    const userId = randomUUID();
    for (let i = 0; i < 3; i++) {
      const refused = await queue.join(fan(userId), eventId).catch((e: unknown) => e);
      expect(codeOf(refused)).toBe("CONFLICT");
    }
    expect(ticket.asked).toHaveLength(1);
    advance(5_001);
    await queue.join(fan(userId), eventId).catch(() => undefined);
    expect(ticket.asked).toHaveLength(2);
    const joined = member("DIAMOND", 2);
    await directory.saveTier(artistId, userId, {
      tier: "DIAMOND",
      expiresAt: new Date(joined?.expiresAt ?? 0),
      revision: 2,
    });
    await expect(queue.join(fan(userId), eventId)).resolves.toMatchObject({ state: "ACTIVE" });
    expect(ticket.asked).toHaveLength(2);
  });

  it("a ticket that cannot answer: the fan joins as BRONZE (general sale), nothing is remembered, the next join asks again", async () => {
    const { queue, artistId, eventId, member } = await setup();
    const userId = randomUUID();
    ticket.memberships.set(`${artistId}|${userId}`, member("DIAMOND", 4));
    ticket.down = true;
    const refused = await queue.join(fan(userId), eventId).catch((e: unknown) => e);
    expect(codeOf(refused)).toBe("CONFLICT");
    expect(refused).toMatchObject({ extensions: { reason: "SALE_NOT_OPEN" } });
    ticket.down = false;
    await expect(queue.join(fan(userId), eventId)).resolves.toMatchObject({ state: "ACTIVE" });
  });
});
