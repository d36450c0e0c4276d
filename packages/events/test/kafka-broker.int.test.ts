import { randomUUID } from "node:crypto";
import { type KafkaMock, startKafkaMock } from "@urr/testkit";
import { type Consumer, Kafka, logLevel } from "kafkajs";

/**
 * The Kafka-protocol broker the event backbone's tests run against (librdkafka's mock cluster),
 * exercised with kafkajs for what the outbox relay and consumers rely on: keyed ordering, consumer
 * groups, committed offsets surviving a consumer restart.
 */
process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";
const TOPIC = "reservation-events";
let broker: KafkaMock;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startKafkaMock([TOPIC], { partitions: 3 });
  kafka = new Kafka({ clientId: "urr-test", brokers: broker.brokers, logLevel: logLevel.NOTHING });
});
afterAll(() => broker.stop());

function consumerFor(groupId: string): Consumer {
  return kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 1000, maxWaitTimeInMs: 100 });
}

async function collect(consumer: Consumer, count: number): Promise<{ key: string; value: string }[]> {
  const seen: { key: string; value: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${seen.length} of ${count} messages arrived`)),
      30_000,
    );
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ key: message.key?.toString() ?? "", value: message.value?.toString() ?? "" });
        if (seen.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  return seen;
}

it("keeps one key's messages in order and resumes a group after its committed offset", async () => {
  const producer = kafka.producer();
  await producer.connect();
  const keys = ["res-a", "res-b", "res-c"];
  await producer.send({
    topic: TOPIC,
    acks: -1,
    messages: Array.from({ length: 30 }, (_, i) => ({ key: keys[i % 3], value: String(i) })),
  });

  const group = `group-${randomUUID()}`;
  const first = consumerFor(group);
  await first.connect();
  await first.subscribe({ topic: TOPIC, fromBeginning: true });
  const received = await collect(first, 30);
  for (const key of keys) {
    const values = received.filter((m) => m.key === key).map((m) => Number(m.value));
    expect(values).toEqual([...values].sort((a, b) => a - b)); // per-key order
  }
  await first.disconnect(); // commits what it consumed

  await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: "res-a", value: "30" }] });
  const second = consumerFor(group);
  await second.connect();
  await second.subscribe({ topic: TOPIC, fromBeginning: true });
  const resumed = await collect(second, 1);
  expect(resumed).toEqual([{ key: "res-a", value: "30" }]); // only what came after the commit
  await second.disconnect();
  await producer.disconnect();
});
