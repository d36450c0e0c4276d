import type { SaleEvent } from "../domain/records.ts";
import type { Db } from "./prisma.ts";

const FIELDS = {
  eventId: true,
  title: true,
  startsAt: true,
  saleStartsAt: true,
  saleEndsAt: true,
  cancelledAt: true,
  deleted: true,
  revision: true,
} as const;

/** Ticket's copy of catalog events. */
export class SaleEventRepository {
  constructor(private readonly db: Db) {}

  find(eventId: string): Promise<SaleEvent | null> {
    return this.db.catalogEvent.findUnique({ where: { eventId }, select: FIELDS });
  }

  findMany(eventIds: readonly string[]): Promise<SaleEvent[]> {
    return this.db.catalogEvent.findMany({ where: { eventId: { in: [...eventIds] } }, select: FIELDS });
  }

  /** Applies a catalog state unless a newer revision is already held (messages may arrive out of order). */
  async upsert(state: SaleEvent & { artistId: string }): Promise<boolean> {
    const changed = await this.db.$executeRaw`
      INSERT INTO catalog_events (event_id, artist_id, title, starts_at, sale_starts_at, sale_ends_at, cancelled_at, deleted, revision, updated_at)
      VALUES (${state.eventId}::uuid, ${state.artistId}::uuid, ${state.title}, ${state.startsAt}, ${state.saleStartsAt},
              ${state.saleEndsAt}, ${state.cancelledAt}, ${state.deleted}, ${state.revision}, now())
      ON CONFLICT (event_id) DO UPDATE SET
        artist_id = EXCLUDED.artist_id, title = EXCLUDED.title, starts_at = EXCLUDED.starts_at,
        sale_starts_at = EXCLUDED.sale_starts_at, sale_ends_at = EXCLUDED.sale_ends_at,
        cancelled_at = EXCLUDED.cancelled_at, deleted = EXCLUDED.deleted, revision = EXCLUDED.revision, updated_at = now()
      WHERE catalog_events.revision < EXCLUDED.revision`;
    return changed > 0;
  }

  async markDeleted(eventId: string, revision: number): Promise<boolean> {
    const changed = await this.db.$executeRaw`
      UPDATE catalog_events SET deleted = true, revision = ${revision}, updated_at = now()
      WHERE event_id = ${eventId}::uuid AND revision < ${revision}`;
    return changed > 0;
  }
}
