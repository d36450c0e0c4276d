import type { EventEnvelope } from "@urr/events";
import { type Db, Prisma } from "../repositories/prisma.ts";

export interface JournalEntry {
  eventId: string;
  occurredAt: Date;
  envelope: unknown;
}

/**
 * Every event the projection applied, as it arrived, with when it was applied. A rebuild replays
 * it: the transport may have no log to replay (signed HTTP), and Kafka's retention may have dropped
 * the start of a topic.
 */
export class Journal {
  constructor(private readonly db: Db) {}

  async record(topic: string, event: EventEnvelope, appliedAt: Date): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO event_journal (event_id, topic, event_type, occurred_at, applied_at, envelope)
      VALUES (${event.id}::uuid, ${topic}, ${event.type}, ${event.occurredAt}::timestamptz, ${appliedAt},
              ${JSON.stringify(event)}::jsonb)
      ON CONFLICT (event_id) DO NOTHING`;
  }

  /** The next entries in replay order (occurrence, then id), after the given one. */
  page(after: { occurredAt: Date; eventId: string } | null, size: number): Promise<JournalEntry[]> {
    const from = after
      ? Prisma.sql`WHERE (occurred_at, event_id) > (${after.occurredAt}, ${after.eventId}::uuid)`
      : Prisma.empty;
    return this.db.$queryRaw<JournalEntry[]>`
      SELECT event_id AS "eventId", occurred_at AS "occurredAt", envelope FROM event_journal
      ${from} ORDER BY occurred_at, event_id LIMIT ${size}`;
  }
}
