export { ArtistUpserted, CATALOG_TOPIC, EventDeleted, EventUpserted } from "./contracts/catalog.ts";
export {
  createEvent,
  defineEvent,
  type EventContract,
  type EventEnvelope,
  envelopeSchema,
  InvalidEventError,
  parseEvent,
} from "./envelope.ts";
export { appendToOutbox, type SqlExecutor } from "./outbox.ts";
