import type { Logger } from "@urr/logger";
import express, { type Application } from "express";
import { eventReceiver, HttpEventTransport, type Subscriber } from "./http-transport.ts";
import { createKafka, createProducer } from "./kafka-client.ts";
import { type RunningConsumer, runConsumer } from "./kafka-consumer.ts";
import { KafkaEventTransport } from "./kafka-transport.ts";
import { type EventTransport, OutboxRelay, type RelayDatabase } from "./relay.ts";

/** The environment every stateful subgraph reads for its events (see backboneConfigFields). */
export interface BackboneConfig {
  /** Kafka brokers; empty = signed HTTP between the processes (embedded mode). */
  KAFKA_BROKERS: string[];
  KAFKA_GROUP_ID: string;
  /** `topic=url` entries: where this subgraph's relay delivers each topic over signed HTTP. */
  EVENT_SUBSCRIBERS: string[];
  /** Signs HTTP deliveries; senders and receivers share it. */
  EVENT_DELIVERY_SECRET?: string | undefined;
  OUTBOX_RELAY_INTERVAL_MS: number;
  /** Unset: the subgraph's database is embedded PGlite, which this process alone opens (sole relay). */
  DATABASE_URL?: string | undefined;
}

export interface EventBackbone {
  relay: OutboxRelay | undefined;
  /**
   * Where this subgraph's events go (Kafka, or signed HTTP to its subscribers); undefined when
   * nobody listens. For producers without a database outbox (queue keeps its outbox in Redis).
   */
  transport: EventTransport | undefined;
  /** Adds the signed `/internal/events` receiver (HTTP mode with something to consume). */
  mount(app: Application): void;
  stop(): Promise<void>;
}

/** Parses `topic=url` entries into one subscriber per URL. */
export function parseSubscribers(entries: string[]): Subscriber[] {
  const byUrl = new Map<string, string[]>();
  for (const entry of entries) {
    const at = entry.indexOf("=");
    if (at <= 0) throw new Error(`EVENT_SUBSCRIBERS entry "${entry}" is not topic=url`);
    const [topic, url] = [entry.slice(0, at), entry.slice(at + 1)];
    byUrl.set(url, [...(byUrl.get(url) ?? []), topic]);
  }
  return [...byUrl].map(([url, topics]) => ({ url, topics }));
}

/**
 * One subgraph's part of the event backbone: an outbox relay for what it produces and a consumer
 * for what it applies. With KAFKA_BROKERS both speak Kafka (`acks: all`, a consumer group,
 * dead-letter topics). Without, the relay POSTs signed batches to the subscribers' `/internal/events`
 * and this subgraph receives the same way: the same outbox, contracts and idempotent handlers, so
 * only the transport differs between `npm start` and production.
 */
export async function startEventBackbone(options: {
  service: string;
  config: BackboneConfig;
  logger: Logger;
  /** The subgraph's database, when it produces events (has an outbox). */
  outbox?: RelayDatabase;
  /** Produces events without a database outbox (it relays them itself through `transport`). */
  produces?: boolean;
  consume?: { topics: string[]; handle(message: unknown): Promise<string> };
}): Promise<EventBackbone> {
  const { config, logger, consume } = options;
  const closers: (() => Promise<void>)[] = [];
  let transport: EventTransport | undefined;
  let consumer: RunningConsumer | undefined;

  if (config.KAFKA_BROKERS.length > 0) {
    const kafka = createKafka(options.service, config.KAFKA_BROKERS, logger);
    if (options.produces ?? options.outbox) {
      const producer = createProducer(kafka);
      await producer.connect();
      closers.push(() => producer.disconnect());
      transport = new KafkaEventTransport(producer);
    }
    if (consume) {
      consumer = await runConsumer({ kafka, groupId: config.KAFKA_GROUP_ID, ...consume, logger });
    }
  } else if (config.EVENT_DELIVERY_SECRET && config.EVENT_SUBSCRIBERS.length > 0) {
    transport = new HttpEventTransport(
      parseSubscribers(config.EVENT_SUBSCRIBERS),
      config.EVENT_DELIVERY_SECRET,
    );
  }
  const relay =
    options.outbox && transport
      ? new OutboxRelay({ db: options.outbox, transport, logger, soleRelay: !config.DATABASE_URL })
      : undefined;
  relay?.start(config.OUTBOX_RELAY_INTERVAL_MS);

  return {
    relay,
    transport,
    mount(app) {
      if (config.KAFKA_BROKERS.length > 0 || !consume || !config.EVENT_DELIVERY_SECRET) return;
      app.post(
        "/internal/events",
        express.json({
          limit: "5mb",
          verify: (req, _res, buffer) => {
            (req as unknown as { rawBody: string }).rawBody = buffer.toString("utf8");
          },
        }),
        eventReceiver(config.EVENT_DELIVERY_SECRET, consume.handle, logger),
      );
    },
    async stop() {
      await relay?.stop();
      await consumer?.stop();
      for (const close of closers) await close();
    },
  };
}
