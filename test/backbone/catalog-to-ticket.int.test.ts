import { PrismaPg } from "@prisma/adapter-pg";
import {
  CATALOG_TOPIC,
  KafkaEventTransport,
  OutboxRelay,
  type RunningConsumer,
  runConsumer,
} from "@urr/events";
import { createLogger } from "@urr/logger";
import { type KafkaMock, startKafkaMock } from "@urr/testkit";
import { Kafka, logLevel } from "kafkajs";
import { createPrismaClient } from "../../subgraphs/catalog/src/repositories/prisma.ts";
import {
  ADMIN,
  type CatalogHarness,
  startCatalogHarness,
} from "../../subgraphs/catalog/test/support/catalog-harness.ts";
import {
  startTicketHarness,
  type TicketHarness,
} from "../../subgraphs/ticket/test/support/ticket-harness.ts";

/**
 * catalog-events over the Kafka protocol (librdkafka's mock cluster): catalog's outbox → relay →
 * Kafka → consumer group → ticket's projection. Poison messages are dead-lettered without blocking
 * the partition; a batch published twice (a relay that died before marking it) is applied once.
 */
process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";
const logger = createLogger("backbone-test", { level: "silent" });
let broker: KafkaMock;
let kafka: Kafka;
let catalog: CatalogHarness;
let ticket: TicketHarness;
let consumer: RunningConsumer;
const outcomes: string[] = [];

beforeAll(async () => {
  [broker, catalog, ticket] = await Promise.all([
    startKafkaMock([CATALOG_TOPIC, `${CATALOG_TOPIC}.dlq`]),
    startCatalogHarness(),
    startTicketHarness(),
  ]);
  kafka = new Kafka({ clientId: "urr-test", brokers: broker.brokers, logLevel: logLevel.NOTHING });
  consumer = await runConsumer({
    kafka,
    groupId: `ticket-${Date.now()}`,
    topics: [CATALOG_TOPIC],
    handle: async (message) => {
      const outcome = await ticket.app.projection.apply(message);
      outcomes.push(outcome);
      return outcome;
    },
    logger,
  });
});
afterAll(async () => {
  await consumer?.stop();
  await Promise.all([catalog?.close(), ticket?.close()]);
  await broker?.stop();
});

async function eventually(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

it("delivers catalog changes to ticket exactly once, dead-letters poison, never blocks", async () => {
  const producer = kafka.producer();
  await producer.connect();
  const db = createPrismaClient(new PrismaPg({ connectionString: catalog.dbUrl }));
  const relay = new OutboxRelay({ db, transport: new KafkaEventTransport(producer), logger });

  const artist = await catalog.app.admin.createArtist(ADMIN, { name: `Kafka Artist ${Date.now()}` });
  const day = 86_400_000;
  const event = await catalog.app.admin.createEvent(ADMIN, {
    artistId: artist.id,
    title: "Over Kafka",
    venue: "Broker Hall",
    startsAt: new Date(Date.now() + 30 * day),
    saleStartsAt: new Date(Date.now() - day),
    saleEndsAt: new Date(Date.now() + 29 * day),
  });
  // A poison message sits in the partition before the valid ones.
  await producer.send({ topic: CATALOG_TOPIC, acks: -1, messages: [{ key: event.id, value: "{not json" }] });
  expect(await relay.relayOnce()).toBe(2); // artist upserted + event upserted

  await eventually(
    async () =>
      (await ticket.count("SELECT count(*) AS n FROM catalog_events WHERE event_id = $1", [event.id])) === 1,
    "the event to reach ticket",
  );
  // The same rows published again, as after a relay crash between send and mark: applied once.
  // Both are ticket's now (the artist upsert carries the fan-club price ticket projects).
  await catalog.sql.exec("UPDATE outbox_events SET published_at = NULL");
  expect(await relay.relayOnce()).toBe(2);
  await eventually(async () => outcomes.filter((o) => o === "duplicate").length >= 2, "the redelivery");
  expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(2);
  expect(await ticket.count("SELECT count(*) AS n FROM processed_events")).toBe(2);

  // The poison message went to the dead-letter topic with its reason.
  const dlq = kafka.consumer({
    groupId: `dlq-${Date.now()}`,
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 100,
  });
  await dlq.connect();
  await dlq.subscribe({ topic: `${CATALOG_TOPIC}.dlq`, fromBeginning: true });
  const dead: { value: string; reason: string }[] = [];
  void dlq.run({
    eachMessage: async ({ message }) => {
      dead.push({
        value: message.value?.toString() ?? "",
        reason: message.headers?.["dlq-reason"]?.toString() ?? "",
      });
    },
  });
  await eventually(async () => dead.length > 0, "the dead letter");
  await new Promise((r) => setTimeout(r, 2000)); // anything else dead-lettered would arrive by now
  expect(dead).toHaveLength(1); // only the poison: the artist event was valid, just not ticket's business
  expect(dead[0]?.value).toBe("{not json");
  expect(dead[0]?.reason).toMatch(/JSON/);
  // Nothing catalog publishes is ignored by ticket any more: the artist event carries the fan-club price.
  expect(outcomes.filter((o) => o === "ignored")).toEqual([]);
  await dlq.disconnect();
  await producer.disconnect();
  await db.$disconnect();
});
