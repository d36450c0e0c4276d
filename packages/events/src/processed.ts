import type { SqlExecutor } from "./outbox.ts";

/**
 * Exactly-once application of consumed events: call inside the transaction of the event's effect.
 * True the first time an event id is seen; false for a redelivery (the caller then skips the
 * effect). Every consuming subgraph has the same `processed_events` table.
 */
export async function markProcessed(tx: SqlExecutor, eventId: string, eventType: string): Promise<boolean> {
  const inserted = await tx.$executeRawUnsafe(
    `INSERT INTO processed_events (event_id, event_type, processed_at) VALUES ($1::uuid, $2, now())
     ON CONFLICT (event_id) DO NOTHING`,
    eventId,
    eventType,
  );
  return inserted === 1;
}
