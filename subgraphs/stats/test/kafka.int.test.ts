import { randomUUID } from "node:crypto";
import { type EventEnvelope, KafkaEventTransport, type OutboxRow } from "@urr/events";
import { type KafkaMock, startKafkaMock } from "@urr/testkit";
import { Kafka, logLevel } from "kafkajs";
import { STATS_CONSUMES } from "../src/app.ts";
import { rounded } from "./support/dashboard-query.ts";
import { onSaleEvents } from "./support/onsale-events.ts";
import * as expected from "./support/onsale-expected.ts";
import { NOW } from "./support/onsale-facts.ts";
import { ADMIN, type StatsHarness, startStatsHarness, topicOf } from "./support/stats-harness.ts";

/**
 * The same projection over the Kafka protocol (librdkafka's mock cluster): stats' consumer group
 * reads the five topics from the beginning, applies each event once though every one is published
 * twice, and dead-letters what its contracts refuse to `<topic>.dlq` without blocking the partition.
 */
process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";
let broker: KafkaMock;
let h: StatsHarness;
let kafka: Kafka;
const events = onSaleEvents();

beforeAll(async () => {
  broker = await startKafkaMock(STATS_CONSUMES.flatMap((topic) => [topic, `${topic}.dlq`]));
  h = await startStatsHarness({
    now: () => NOW,
    env: { KAFKA_BROKERS: broker.brokers.join(","), KAFKA_GROUP_ID: `stats-${randomUUID()}` },
  });
  kafka = new Kafka({ clientId: "stats-test", brokers: broker.brokers, logLevel: logLevel.NOTHING });
});
afterAll(async () => {
  await h?.close();
  await broker?.stop();
});

const rowOf = (envelope: EventEnvelope): OutboxRow => ({
  id: envelope.id,
  topic: topicOf(envelope),
  messageKey: envelope.aggregateId,
  envelope,
  attempts: 0,
});

async function eventually(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it("folds the on-sale from Kafka once, and dead-letters a refused event", async () => {
  const producer = kafka.producer();
  await producer.connect();
  const transport = new KafkaEventTransport(producer);
  const [first] = events;
  if (!first) throw new Error("the on-sale has events");
  const refused = { ...structuredClone(first), id: randomUUID(), payload: { broken: true } } as EventEnvelope;
  // The refused event sits ahead of the valid ones on its partition.
  await transport.deliver([rowOf(refused), ...events.map(rowOf)]);
  await transport.deliver(events.map(rowOf));

  await eventually(
    async () => (await h.count("SELECT count(*) AS n FROM processed_events")) === events.length,
    "every event applied",
  );
  const res = await h.call<{ stats: { overview: unknown } }>(
    `{ stats { overview { holds purchases ticketsSold grossRevenue refundedAmount activeMembers } } }`,
    {},
    ADMIN,
  );
  const o = expected.overview();
  expect(rounded(res.data?.stats.overview)).toEqual(
    rounded({
      holds: o.holds,
      purchases: o.purchases,
      ticketsSold: o.ticketsSold,
      grossRevenue: o.grossRevenue,
      refundedAmount: o.refundedAmount,
      activeMembers: o.activeMembers,
    }),
  );

  const dlq = kafka.consumer({
    groupId: `dlq-${randomUUID()}`,
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 100,
  });
  await dlq.connect();
  await dlq.subscribe({ topic: `${topicOf(first)}.dlq`, fromBeginning: true });
  const dead: { id: string; reason: string }[] = [];
  void dlq.run({
    eachMessage: async ({ message }) => {
      dead.push({
        id: (JSON.parse(message.value?.toString() ?? "{}") as { id?: string }).id ?? "",
        reason: message.headers?.["dlq-reason"]?.toString() ?? "",
      });
    },
  });
  await eventually(async () => dead.length > 0, "the dead letter");
  expect(dead).toEqual([{ id: refused.id, reason: expect.stringContaining(first.type) }]);
  await dlq.disconnect();
  await producer.disconnect();
});
