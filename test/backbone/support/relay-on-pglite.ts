/**
 * Run as its own process by relay-on-pglite.int.test.ts (PGlite needs `--experimental-vm-modules`
 * under jest, so it runs here under tsx instead). Prints one JSON line: what happened.
 *
 * Embedded mode: catalog's database is one PGlite connection, and its event backbone is wired as
 * `npm start` wires it (no DATABASE_URL, signed HTTP to the subscribers). Its relay delivers a batch
 * to a subscriber that takes a while and, while handling it, writes to this same database (as
 * catalog and ticket do through each other's receivers). Meanwhile four clients run transactions
 * with Prisma's default options. Every client transaction and the subscriber's write must commit,
 * and the batch must be published.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase } from "@urr/db";
import { startEventBackbone } from "@urr/events";
import { createLogger } from "@urr/logger";
import { createPrismaClient } from "../../../subgraphs/catalog/src/repositories/prisma.ts";

const CLIENTS = 4;
const TRANSACTIONS_PER_CLIENT = 10;
/** The subscriber is busy this long before it answers (longer than Prisma's 2 s maxWait). */
const SUBSCRIBER_BUSY_MS = 2_500;

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "urr-relay-pglite-"));
  const database = await openDatabase({ kind: "pglite", dataDir });
  await database.migrate(path.resolve(__dirname, "../../../prisma/catalog"));
  const prisma = createPrismaClient(database.adapter);
  try {
    await prisma.$executeRawUnsafe(
      `INSERT INTO outbox_events (id, topic, message_key, event_type, envelope)
       VALUES (gen_random_uuid(), 'catalog-events', 'event-1', 'EventCreated', '{}'::jsonb)`,
    );
    let subscriberWrite = "not attempted";
    let deliveryInFlight = false;
    const subscriber = http.createServer(async (req, res) => {
      req.resume();
      deliveryInFlight = true;
      await new Promise((r) => setTimeout(r, SUBSCRIBER_BUSY_MS));
      try {
        await prisma.$transaction((tx) =>
          tx.$executeRawUnsafe(
            "INSERT INTO processed_events (event_id, event_type) VALUES (gen_random_uuid(), 'subscriber')",
          ),
        );
        subscriberWrite = "committed";
        res.writeHead(200, { "content-type": "application/json" }).end('{"outcomes":["applied"]}');
      } catch (error) {
        subscriberWrite = `failed: ${(error as { code?: string }).code ?? (error as Error).message}`;
        res.writeHead(500).end();
      } finally {
        deliveryInFlight = false;
      }
    });
    await new Promise<void>((r) => subscriber.listen(0, "127.0.0.1", r));
    const backbone = await startEventBackbone({
      service: "catalog",
      config: {
        KAFKA_BROKERS: [],
        KAFKA_GROUP_ID: "catalog",
        EVENT_SUBSCRIBERS: [`catalog-events=http://127.0.0.1:${(subscriber.address() as AddressInfo).port}/`],
        EVENT_DELIVERY_SECRET: "relay-on-pglite-secret-0123456789abcdef",
        OUTBOX_RELAY_INTERVAL_MS: 50,
        DATABASE_URL: undefined,
      },
      logger: createLogger("relay", { level: "silent" }),
      outbox: prisma,
    });
    while (!deliveryInFlight) await new Promise((r) => setTimeout(r, 10));
    const clientOutcomes: string[] = [];
    let committedDuringDelivery = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let i = 0; i < TRANSACTIONS_PER_CLIENT; i++) {
          try {
            await prisma.$transaction(async (tx) => {
              await tx.$queryRawUnsafe("SELECT count(*) FROM outbox_events");
              await tx.$executeRawUnsafe(
                "INSERT INTO processed_events (event_id, event_type) VALUES (gen_random_uuid(), $1)",
                `client-${client}`,
              );
            });
            clientOutcomes.push("committed");
            if (deliveryInFlight) committedDuringDelivery++;
          } catch (error) {
            clientOutcomes.push(`failed: ${(error as { code?: string }).code ?? (error as Error).message}`);
          }
        }
      }),
    );
    // The first delivery's outcome: committed, or failed and left for a retry.
    while (deliveryInFlight) await new Promise((r) => setTimeout(r, 10));
    await backbone.stop();
    subscriber.close();
    const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
      "SELECT count(*) AS n FROM outbox_events WHERE published_at IS NOT NULL",
    );
    const failures = clientOutcomes.filter((o) => o !== "committed");
    process.stdout.write(
      `${JSON.stringify({
        clientTransactions: clientOutcomes.length,
        clientFailures: failures,
        committedDuringDelivery,
        subscriberWrite,
        published: Number(row?.n),
      })}\n`,
    );
  } finally {
    await prisma.$disconnect();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
