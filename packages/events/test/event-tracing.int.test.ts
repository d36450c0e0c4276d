import type { AddressInfo } from "node:net";
import { createLogger } from "@urr/logger";
import {
  currentTraceparent,
  InMemorySpanExporter,
  metricsRegistry,
  type ReadableSpan,
  startTracing,
  type Tracing,
  withSpan,
} from "@urr/telemetry";
import { type KafkaMock, startKafkaMock } from "@urr/testkit";
import express from "express";
import { startPublication } from "../src/event-telemetry.ts";
import { eventReceiver, HttpEventTransport } from "../src/http-transport.ts";
import { createEvent, InvalidEventError, PaymentConfirmed } from "../src/index.ts";
import { createKafka, createProducer } from "../src/kafka-client.ts";
import { runConsumer } from "../src/kafka-consumer.ts";
import { KafkaEventTransport } from "../src/kafka-transport.ts";
import type { OutboxRow } from "../src/relay.ts";

/**
 * The trace of an event crosses processes with the event: the outbox row keeps the traceparent of
 * the transaction that wrote it, the relay publishes it in a PRODUCER span under that, the transport
 * carries the publish span's traceparent (a Kafka header; the signed HTTP body), and the consumer
 * applies the event in a CONSUMER span under it — so the effect belongs to the trace that caused it.
 */
process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";
const TOPIC = "payment-events";
const logger = createLogger("event-tracing-test", { level: "silent" });
let exporter: InMemorySpanExporter;
let tracing: Tracing;
let broker: KafkaMock;

beforeAll(async () => {
  broker = await startKafkaMock([TOPIC, `${TOPIC}.dlq`], { partitions: 1 });
});
afterAll(() => broker.stop());
beforeEach(() => {
  exporter = new InMemorySpanExporter();
  tracing = startTracing({ service: "test", exporter });
});
afterEach(() => tracing.shutdown());

const confirmed = () =>
  createEvent(PaymentConfirmed, "payment-1", {
    paymentId: "3b8f3a4e-0000-4000-8000-000000000001",
    orderId: "order-1",
    kind: "RESERVATION",
    referenceId: "3b8f3a4e-0000-4000-8000-000000000002",
    userId: "3b8f3a4e-0000-4000-8000-000000000003",
    amount: 1000,
    currency: "KRW",
    method: "CARD",
    confirmedAt: new Date().toISOString(),
  });

/** An outbox row as a transaction inside the span `writer` would have stored it. */
async function rowWrittenIn(writer: string): Promise<OutboxRow> {
  const envelope = confirmed();
  const traceparent = await withSpan(writer, {}, async () => currentTraceparent());
  return { id: envelope.id, topic: TOPIC, messageKey: "payment-1", envelope, attempts: 0, traceparent };
}

const named = (name: string) => exporter.getFinishedSpans().find((s) => s.name === name);
const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function expectOneChain() {
  const writer = named("confirm transaction");
  const publish = named(`publish ${TOPIC}`);
  const process = named("process payment.confirmed");
  const effect = named("apply effect");
  expect(parentOf(publish)).toBe(writer?.spanContext().spanId);
  expect(parentOf(process)).toBe(publish?.spanContext().spanId);
  expect(parentOf(effect)).toBe(process?.spanContext().spanId);
  const traces = new Set([writer, publish, process, effect].map((s) => s?.spanContext().traceId));
  expect(traces.size).toBe(1);
}

it("over Kafka: a traceparent header, and the consumer continues the producer's trace", async () => {
  const kafka = createKafka("event-tracing-test", broker.brokers, logger);
  const producer = createProducer(kafka);
  await producer.connect();
  const applied: string[] = [];
  const consumer = await runConsumer({
    kafka,
    groupId: "event-tracing",
    topics: [TOPIC],
    logger,
    handle: (message) =>
      withSpan("apply effect", {}, async () => {
        const type = (message as { type: string }).type;
        if (type !== PaymentConfirmed.type) throw new InvalidEventError(`no handler for ${type}`);
        applied.push(type);
        return "applied";
      }),
  });
  try {
    const publication = startPublication([await rowWrittenIn("confirm transaction")]);
    await new KafkaEventTransport(producer).deliver(publication.rows);
    publication.succeeded();
    await until(() => (applied.length > 0 ? true : undefined), "the event to be applied");
    await until(() => named("apply effect"), "the effect's span");
    expectOneChain();

    // A message that can never apply is dead-lettered, and counted per topic.
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: "x", value: '{"type":"unheard.of"}' }] });
    await until(
      async () =>
        (await metricsRegistry.metrics()).includes(`urr_events_dead_lettered_total{topic="${TOPIC}"} 1`)
          ? true
          : undefined,
      "the dead letter to be counted",
    );
  } finally {
    await consumer.stop();
    await producer.disconnect();
  }
  const metrics = await metricsRegistry.metrics();
  expect(metrics).toContain(`urr_events_consumed_total{topic="${TOPIC}",outcome="applied"} 1`);
});

it("over signed HTTP: each event's traceparent in the signed body, continued by the receiver", async () => {
  const secret = "event-tracing-secret-0123456789abcdef";
  const app = express();
  app.post(
    "/internal/events",
    express.json({
      verify: (req, _res, buffer) => {
        (req as unknown as { rawBody: string }).rawBody = buffer.toString("utf8");
      },
    }),
    eventReceiver(secret, () => withSpan("apply effect", {}, async () => "applied"), logger),
  );
  const server = app.listen(0);
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/internal/events`;
    const publication = startPublication([await rowWrittenIn("confirm transaction")]);
    await new HttpEventTransport([{ url, topics: [TOPIC] }], secret).deliver(publication.rows);
    publication.succeeded();
    expectOneChain();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
