import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AuthenticatedViewer, generateSigningKeyPair, type Viewer } from "@urr/auth-tokens";
import {
  AuditRecorded,
  createEvent,
  type EventEnvelope,
  EventUpserted,
  parseEvent,
  SIGNATURE_HEADER,
  sign,
} from "@urr/events";
import { createLogger } from "@urr/logger";
import { firstErrorCode, graphqlRequest, TestGatewayIdentity } from "@urr/testkit";
import { type QueueApp, startQueueApp } from "../src/app.ts";
import { loadQueueConfig } from "../src/config.ts";

/**
 * The queue's admin actions through its API, on real Redis: setQueueThreshold and clearQueue each
 * put one audit.recorded entry into the Redis audit outbox in the script that makes the change, and
 * the relay delivers it to audit-events' subscriber (signed HTTP, as `npm start` runs it). Fans are
 * refused by the service and leave nothing to deliver.
 */
const SECRET = "queue-audit-test-delivery-secret-0123456789";
const ADMIN: AuthenticatedViewer = {
  authenticated: true,
  userId: "00000000-0000-4000-8000-00000000a001",
  email: "ops@urr.test",
  role: "ADMIN",
};
const FAN: Viewer = { ...ADMIN, userId: "00000000-0000-4000-8000-000000000001", role: "USER" };

let app: QueueApp;
let gateway: TestGatewayIdentity;
let subscriber: Server;
const delivered: { topic: string; event: EventEnvelope }[] = [];

beforeAll(async () => {
  // audit-events' consumer (catalog, in the running system): verifies the signature, keeps the events.
  subscriber = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      if (req.headers[SIGNATURE_HEADER] !== sign(body, SECRET)) {
        res.writeHead(401).end();
        return;
      }
      const { events, deliveries } = JSON.parse(body) as {
        events: EventEnvelope[];
        deliveries: { topic: string }[];
      };
      for (const [i, event] of events.entries()) delivered.push({ topic: deliveries[i]?.topic ?? "", event });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => subscriber.listen(0, "127.0.0.1", resolve));
  const port = (subscriber.address() as AddressInfo).port;
  gateway = await TestGatewayIdentity.create();
  const config = loadQueueConfig({
    PORT: "0",
    LOG_LEVEL: "silent",
    CONTEXT_TOKEN_PUBLIC_KEY: gateway.keys.publicKeyPem,
    ENTRY_TOKEN_PRIVATE_KEY: (await generateSigningKeyPair()).privateKeyPem,
    REDIS_URL: process.env.REDIS_URL || "redis://127.0.0.1:6379",
    REDIS_KEY_PREFIX: `test:${randomUUID()}:`,
    EVENT_SUBSCRIBERS: `audit-events=http://127.0.0.1:${port}/internal/events`,
    EVENT_DELIVERY_SECRET: SECRET,
    ADMISSION_RELAY_INTERVAL_MS: "50",
  });
  app = await startQueueApp(config, createLogger("queue", { level: "silent" }), { runWorker: false });
  // The store refuses commands until its Redis connection is up (no offline queue).
  for (let tries = 0; ; tries++) {
    try {
      await app.store.ping();
      break;
    } catch (error) {
      if (tries > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}, 60_000);
afterAll(async () => {
  await app?.stop();
  subscriber?.closeAllConnections();
  await new Promise((resolve) => subscriber?.close(resolve));
});

async function eventOnSale(): Promise<string> {
  const eventId = randomUUID();
  const day = 86_400_000;
  await app.handle(
    createEvent(EventUpserted, eventId, {
      eventId,
      artistId: randomUUID(),
      title: "Audit Night",
      startsAt: new Date(Date.now() + 30 * day).toISOString(),
      saleStartsAt: new Date(Date.now() - day).toISOString(),
      saleEndsAt: new Date(Date.now() + 29 * day).toISOString(),
      cancelledAt: null,
      revision: 1,
    }),
  );
  return eventId;
}

const call = async (query: string, variables: Record<string, unknown>, viewer?: Viewer) =>
  graphqlRequest(app.subgraph.url, query, variables, { headers: await gateway.headersFor(viewer) });
const SET = `mutation($e: ID!, $n: Int!) { setQueueThreshold(eventId: $e, threshold: $n) { threshold } }`;
const CLEAR = `mutation($e: ID!) { clearQueue(eventId: $e) { queueSize activeUsers } }`;

/** What audit-events' subscriber got for one event, once the relay had time for two more rounds. */
async function auditsDeliveredFor(eventId: string) {
  const deadline = Date.now() + 5_000;
  while ((await app.store.pendingAudits(1)).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 150));
  return delivered
    .filter((d) => d.event.aggregateId === eventId)
    .map((d) => ({ topic: d.topic, event: parseEvent(AuditRecorded, d.event) }));
}

it("setQueueThreshold and clearQueue deliver one audit entry each to audit-events", async () => {
  const eventId = await eventOnSale();
  await app.queue.join({ ...ADMIN, userId: randomUUID(), role: "USER" }, eventId);
  expect((await call(SET, { e: eventId, n: 25 }, ADMIN)).data).toEqual({
    setQueueThreshold: { threshold: 25 },
  });
  expect((await call(CLEAR, { e: eventId }, ADMIN)).data).toEqual({
    clearQueue: { queueSize: 0, activeUsers: 0 },
  });
  const audits = await auditsDeliveredFor(eventId);
  expect(
    audits.map((a) => [a.topic, a.event.payload.action, a.event.payload.before, a.event.payload.after]),
  ).toEqual([
    ["audit-events", "queue.set-threshold", { threshold: 500 }, { threshold: 25 }],
    [
      "audit-events",
      "queue.clear",
      { queueSize: 0, activeUsers: 1, servingNumber: 1, lastNumber: 1 },
      { queueSize: 0, activeUsers: 0, servingNumber: 1, lastNumber: 1 },
    ],
  ]);
  expect(audits[0]?.event.payload).toMatchObject({
    source: "queue",
    actorId: ADMIN.userId,
    entityType: "QUEUE",
  });
});

it("a fan's setQueueThreshold and clearQueue are FORBIDDEN and deliver nothing", async () => {
  const eventId = await eventOnSale();
  expect(firstErrorCode(await call(SET, { e: eventId, n: 25 }, FAN))).toBe("FORBIDDEN");
  expect(firstErrorCode(await call(CLEAR, { e: eventId }, FAN))).toBe("FORBIDDEN");
  expect(firstErrorCode(await call(CLEAR, { e: eventId }))).toBe("UNAUTHENTICATED");
  expect((await app.store.counters(eventId)).threshold).toBe(500);
  expect(await auditsDeliveredFor(eventId)).toEqual([]);
});
