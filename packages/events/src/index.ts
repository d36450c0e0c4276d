export { type BackboneConfig, type EventBackbone, parseSubscribers, startEventBackbone } from "./backbone.ts";
export { backboneConfigFields, subscribersNeedSecret } from "./backbone-config.ts";
export * from "./contracts/index.ts";
export {
  createEvent,
  defineEvent,
  type EventContract,
  type EventEnvelope,
  envelopeSchema,
  InvalidEventError,
  parseEvent,
} from "./envelope.ts";
export { EventHandlers } from "./handlers.ts";
export {
  type ApplyEvent,
  eventReceiver,
  HttpEventTransport,
  SIGNATURE_HEADER,
  type Subscriber,
  sign,
} from "./http-transport.ts";
export { createKafka, createProducer } from "./kafka-client.ts";
export { type ConsumerOptions, type RunningConsumer, runConsumer } from "./kafka-consumer.ts";
export { KafkaEventTransport } from "./kafka-transport.ts";
export { appendToOutbox, type SqlExecutor } from "./outbox.ts";
export { markProcessed } from "./processed.ts";
export {
  type EventTransport,
  OutboxRelay,
  type OutboxRow,
  type RelayDatabase,
  type RelaySql,
} from "./relay.ts";
