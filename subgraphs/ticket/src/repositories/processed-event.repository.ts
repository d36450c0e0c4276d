import type { Db } from "./prisma.ts";

/** Exactly-once application of consumed events: the id is recorded in the effect's transaction. */
export class ProcessedEventRepository {
  constructor(private readonly db: Db) {}

  /** True the first time an event id is seen; false for a redelivery. */
  async markProcessed(eventId: string, eventType: string): Promise<boolean> {
    const inserted = await this.db.$executeRaw`
      INSERT INTO processed_events (event_id, event_type, processed_at) VALUES (${eventId}::uuid, ${eventType}, now())
      ON CONFLICT (event_id) DO NOTHING`;
    return inserted === 1;
  }
}
