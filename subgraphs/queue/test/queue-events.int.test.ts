import { randomUUID } from "node:crypto";
import { generateSigningKeyPair } from "@urr/auth-tokens";
import { ALL_TOPICS, createEvent, EventUpserted } from "@urr/events";
import { createLogger } from "@urr/logger";
import { type KafkaMock, startKafkaMock, TestGatewayIdentity } from "@urr/testkit";
import { Kafka, logLevel } from "kafkajs";
import { type QueueApp, startQueueApp } from "../src/app.ts";
import { loadQueueConfig } from "../src/config.ts";

/** Admissions reach queue-events on a real Kafka-protocol broker, from the queue's Redis outbox. */
let broker: KafkaMock;
let app: QueueApp;
beforeAll(async () => {
  broker = await startKafkaMock(ALL_TOPICS.flatMap((topic) => [topic, `${topic}.dlq`]));
  const gateway = await TestGatewayIdentity.create();
  const config = loadQueueConfig({
    PORT: "0",
    LOG_LEVEL: "silent",
    CONTEXT_TOKEN_PUBLIC_KEY: gateway.keys.publicKeyPem,
    ENTRY_TOKEN_PRIVATE_KEY: (await generateSigningKeyPair()).privateKeyPem,
    REDIS_URL: process.env.REDIS_URL || "redis://127.0.0.1:6379",
    REDIS_KEY_PREFIX: `test:${randomUUID()}:`,
    KAFKA_BROKERS: broker.brokers.join(","),
    KAFKA_GROUP_ID: `queue-${randomUUID()}`,
    ADMISSION_RELAY_INTERVAL_MS: "100",
  });
  app = await startQueueApp(config, createLogger("queue", { level: "silent" }), { runWorker: false });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await broker?.stop();
});

it("publishes each admission to queue-events, keyed by event", async () => {
  const eventId = randomUUID();
  const day = 86_400_000;
  await app.handle(
    createEvent(EventUpserted, eventId, {
      eventId,
      artistId: randomUUID(),
      title: "Queue Events Night",
      startsAt: new Date(Date.now() + 30 * day).toISOString(),
      saleStartsAt: new Date(Date.now() - day).toISOString(),
      saleEndsAt: new Date(Date.now() + 29 * day).toISOString(),
      cancelledAt: null,
      revision: 1,
    }),
  );
  const userId = randomUUID();
  const joined = await app.queue.join(
    { authenticated: true, userId, email: "q@urr.test", role: "USER" },
    eventId,
  );
  expect(joined.state).toBe("ACTIVE");

  const kafka = new Kafka({
    clientId: "queue-events-test",
    brokers: broker.brokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: "queue-events", fromBeginning: true });
  try {
    const message = await new Promise<{ key: string; value: Record<string, unknown> }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no admission on queue-events")), 15_000);
      void consumer.run({
        eachMessage: async ({ message: m }) => {
          const value = JSON.parse(m.value?.toString() ?? "{}") as { payload?: { userId?: string } };
          if (value.payload?.userId !== userId) return;
          clearTimeout(timer);
          resolve({ key: m.key?.toString() ?? "", value });
        },
      });
    });
    expect(message.key).toBe(eventId);
    expect(message.value).toMatchObject({
      type: "queue.admitted",
      payload: { eventId, userId, queueNumber: 1 },
    });
  } finally {
    await consumer.disconnect();
  }
});
