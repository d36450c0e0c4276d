import { AuditRecorded, parseEvent } from "@urr/events";
import type { AuditEvent } from "./admin-action.ts";

/** Anything that answers SQL with rows (a pg client, `@urr/db`'s SqlRunner). */
export interface SqlReader {
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

/**
 * The audit events a subgraph's outbox holds (published or not), oldest first, optionally for one
 * entity; each parsed with the contract its consumer uses. What the subgraphs' tests check an admin
 * action against ("exactly one entry, in the same transaction").
 */
export async function auditEventsInOutbox(db: SqlReader, entityId?: string): Promise<AuditEvent[]> {
  const rows = await db.query<{ envelope: unknown }>(
    `SELECT envelope FROM outbox_events
     WHERE event_type = $1 AND ($2::text IS NULL OR message_key = $2)
     ORDER BY created_at, id`,
    [AuditRecorded.type, entityId ?? null],
  );
  return rows.map((row) =>
    parseEvent(AuditRecorded, typeof row.envelope === "string" ? JSON.parse(row.envelope) : row.envelope),
  );
}
