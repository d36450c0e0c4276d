import { randomUUID } from "node:crypto";
import { auditEnvelope } from "@urr/audit";
import { AUDIT_TOPIC, RESERVATION_TOPIC } from "@urr/events";
import { type KafkaMock, startKafkaMock } from "@urr/testkit";
import { Kafka, logLevel } from "kafkajs";
import { ADMIN, type CatalogHarness, startCatalogHarness } from "./support/catalog-harness.ts";

/**
 * audit-events over the Kafka protocol (librdkafka's mock cluster), consumed by catalog's own
 * consumer group: a redelivered audit.recorded appears in auditLog once, and what the contract
 * refuses goes to audit-events.dlq while the partition moves on.
 */
process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";
let broker: KafkaMock;
let h: CatalogHarness;
let kafka: Kafka;
beforeAll(async () => {
  broker = await startKafkaMock([
    AUDIT_TOPIC,
    `${AUDIT_TOPIC}.dlq`,
    RESERVATION_TOPIC,
    `${RESERVATION_TOPIC}.dlq`,
    "catalog-events",
  ]);
  h = await startCatalogHarness({
    KAFKA_BROKERS: broker.brokers.join(","),
    KAFKA_GROUP_ID: `catalog-${randomUUID()}`,
  });
  kafka = new Kafka({ clientId: "catalog-audit-test", brokers: broker.brokers, logLevel: logLevel.NOTHING });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await broker?.stop();
});

async function eventually(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

it("projects audit-events once each and dead-letters what the contract refuses", async () => {
  const admin = {
    authenticated: true as const,
    userId: randomUUID(),
    email: "ops@urr.test",
    role: "ADMIN" as const,
  };
  const paymentId = randomUUID();
  const refunded = auditEnvelope(
    "payment",
    admin,
    {
      action: "payment.refund",
      entityType: "PAYMENT",
      entityId: paymentId,
      before: { status: "CONFIRMED" },
      after: { status: "REFUNDED" },
      reason: "duplicate charge",
    },
    { at: new Date(Date.now() - 1_000) }, // newest first: the log's order must not hang on one millisecond
  );
  const broken = { ...refunded, id: randomUUID(), payload: { ...refunded.payload, source: "billing" } };
  const after = auditEnvelope("payment", admin, {
    action: "payment.cancel",
    entityType: "PAYMENT",
    entityId: paymentId,
    before: { status: "REFUNDED" },
    after: { status: "REFUNDED" },
  });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: AUDIT_TOPIC,
    acks: -1,
    messages: [
      { key: paymentId, value: JSON.stringify(refunded) },
      { key: paymentId, value: "{not json" },
      { key: paymentId, value: JSON.stringify(broken) },
      { key: paymentId, value: JSON.stringify(refunded) }, // a relay that re-sent before marking
      { key: paymentId, value: JSON.stringify(after) },
    ],
  });
  const LOG = "query($id: ID) { auditLog(entityId: $id) { entries { id source action reason } } }";
  const entries = async () =>
    (
      await h.call<{ auditLog: { entries: { id: string; source: string; action: string }[] } }>(
        LOG,
        { id: paymentId },
        ADMIN,
      )
    ).data?.auditLog.entries ?? [];
  // The last message is applied only after everything before it on the partition.
  await eventually(
    async () => (await entries()).some((e) => e.id === after.id),
    "the audit entries to reach catalog",
  );
  expect(await entries()).toEqual([
    { id: after.id, source: "PAYMENT", action: "payment.cancel", reason: null },
    { id: refunded.id, source: "PAYMENT", action: "payment.refund", reason: "duplicate charge" },
  ]);

  const dlq = kafka.consumer({
    groupId: `dlq-${randomUUID()}`,
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 100,
  });
  await dlq.connect();
  await dlq.subscribe({ topic: `${AUDIT_TOPIC}.dlq`, fromBeginning: true });
  const dead: { value: string; reason: string }[] = [];
  void dlq.run({
    eachMessage: async ({ message }) => {
      dead.push({
        value: message.value?.toString() ?? "",
        reason: message.headers?.["dlq-reason"]?.toString() ?? "",
      });
    },
  });
  await eventually(async () => dead.length >= 2, "two dead letters");
  expect(dead.map((d) => d.value)).toEqual(["{not json", JSON.stringify(broken)]);
  expect(dead[1]?.reason).toMatch(/source/);
  await dlq.disconnect();
  await producer.disconnect();
}, 90_000);
