import { currentTraceparent } from "@urr/telemetry";
import type { EventContract, EventEnvelope } from "./envelope.ts";

/**
 * The transactional outbox: a subgraph writes its change and the events describing it in one
 * database transaction, so an event exists exactly when its change committed. A relay publishes
 * unpublished rows afterwards (at least once); consumers deduplicate by event id.
 *
 * Every stateful subgraph has the same `outbox_events` table (see its Prisma schema). The row keeps
 * the `traceparent` of the work that wrote it (null with tracing off): the relay publishes later,
 * in a transaction of its own, and continues that trace from it.
 */
export interface SqlExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

export async function appendToOutbox(
  tx: SqlExecutor,
  contract: Pick<EventContract<string, never>, "topic">,
  event: EventEnvelope,
): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO outbox_events (id, topic, message_key, event_type, envelope, created_at, traceparent)
     VALUES ($1::uuid, $2, $3, $4, $5::jsonb, now(), $6)`,
    event.id,
    contract.topic,
    event.aggregateId,
    event.type,
    JSON.stringify(event),
    currentTraceparent(),
  );
}
