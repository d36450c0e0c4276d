import type { CatalogArtistRecord } from "../memberships/records.ts";
import type { Db } from "./prisma.ts";

const FIELDS = { artistId: true, name: true, membershipPrice: true, revision: true } as const;

/** Ticket's copy of catalog artists (catalog-events): the fan-club price memberships are quoted at. */
export class CatalogArtistRepository {
  constructor(private readonly db: Db) {}

  find(artistId: string): Promise<CatalogArtistRecord | null> {
    return this.db.catalogArtist.findUnique({ where: { artistId }, select: FIELDS });
  }

  findMany(artistIds: readonly string[]): Promise<CatalogArtistRecord[]> {
    return this.db.catalogArtist.findMany({ where: { artistId: { in: [...artistIds] } }, select: FIELDS });
  }

  /** Applies a catalog state unless a newer revision is already held (messages may arrive out of order). */
  async upsert(state: CatalogArtistRecord): Promise<boolean> {
    const changed = await this.db.$executeRaw`
      INSERT INTO catalog_artists (artist_id, name, membership_price, revision, updated_at)
      VALUES (${state.artistId}::uuid, ${state.name}, ${state.membershipPrice}, ${state.revision}, now())
      ON CONFLICT (artist_id) DO UPDATE SET
        name = EXCLUDED.name, membership_price = EXCLUDED.membership_price, revision = EXCLUDED.revision, updated_at = now()
      WHERE catalog_artists.revision < EXCLUDED.revision`;
    return changed > 0;
  }
}
