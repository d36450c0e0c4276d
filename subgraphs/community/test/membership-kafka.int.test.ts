import { randomUUID } from "node:crypto";
import {
  AUDIT_TOPIC,
  createEvent,
  MEMBERSHIP_TOPIC,
  MembershipActivated,
  MembershipRenewed,
} from "@urr/events";
import { type KafkaMock, startKafkaMock } from "@urr/testkit";
import { Kafka, logLevel } from "kafkajs";
import { type CommunityHarness, fan, startCommunityHarness } from "./support/community-harness.ts";

/**
 * membership-events over the Kafka protocol (librdkafka's mock cluster), consumed by the community
 * app's own consumer group: a redelivered event is applied once, poison and contract refusals go to
 * the dead-letter topic and the partition moves on.
 */
process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";
let broker: KafkaMock;
let h: CommunityHarness;
let kafka: Kafka;
beforeAll(async () => {
  broker = await startKafkaMock([MEMBERSHIP_TOPIC, `${MEMBERSHIP_TOPIC}.dlq`, AUDIT_TOPIC]);
  h = await startCommunityHarness({
    KAFKA_BROKERS: broker.brokers.join(","),
    KAFKA_GROUP_ID: `community-${randomUUID()}`,
  });
  kafka = new Kafka({ clientId: "community-test", brokers: broker.brokers, logLevel: logLevel.NOTHING });
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

it("applies membership-events from Kafka once and dead-letters what the contract refuses", async () => {
  const membershipId = randomUUID();
  const event = createEvent(MembershipActivated, membershipId, {
    membershipId,
    userId: fan(301).userId,
    artistId: randomUUID(),
    tier: "GOLD",
    points: 700,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    revision: 1,
    paymentId: randomUUID(),
  });
  const renewed = createEvent(MembershipRenewed, membershipId, {
    ...event.payload,
    expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    revision: 2,
  });
  const broken = { ...event, id: randomUUID(), payload: { ...event.payload, tier: "PLATINUM" } };
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: MEMBERSHIP_TOPIC,
    acks: -1,
    messages: [
      { key: membershipId, value: "{not json" },
      { key: membershipId, value: JSON.stringify(broken) },
      { key: membershipId, value: JSON.stringify(event) },
      { key: membershipId, value: JSON.stringify(event) }, // a relay that re-sent before marking
      { key: membershipId, value: JSON.stringify(renewed) }, // behind the duplicate in the partition
    ],
  });
  const renewedHeld = () =>
    h.count("SELECT count(*) AS n FROM memberships WHERE membership_id = $1 AND revision = 2", [
      membershipId,
    ]);
  await eventually(async () => (await renewedHeld()) === 1, "the renewal to reach community");
  // Two events applied: the duplicate before the renewal was consumed and recorded nothing.
  expect(await h.count("SELECT count(*) AS n FROM processed_events")).toBe(2);

  const dlq = kafka.consumer({
    groupId: `dlq-${randomUUID()}`,
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 100,
  });
  await dlq.connect();
  await dlq.subscribe({ topic: `${MEMBERSHIP_TOPIC}.dlq`, fromBeginning: true });
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
  expect(dead[1]?.reason).toMatch(/tier/);
  await dlq.disconnect();
  await producer.disconnect();
}, 90_000);
