import type { AuditEntityType, AuditSource } from "@urr/events";

/** Catalog records as the domain sees them (repositories return these, never Prisma rows). */
export interface ArtistRecord {
  id: string;
  name: string;
  description: string;
  genre: string | null;
  imageUrl: string | null;
  /** Integer KRW a year of the artist's fan club costs. */
  membershipPrice: number;
  /** Incremented on every change (catalog-events carries it). */
  revision: number;
  /** The music catalog the artist was imported from; null (with externalId) for one added by hand. */
  externalSource: MusicCatalogSource | null;
  externalId: string | null;
  externalUrl: string | null;
  /** 0 to 100 as the music catalog rated the artist at the last import. */
  popularity: number | null;
  importedAt: Date | null;
  createdAt: Date;
}

/** Music catalogs artists are imported from (the `artists.external_source` values). */
export type MusicCatalogSource = "SPOTIFY";

export interface EventRecord {
  id: string;
  artistId: string;
  title: string;
  description: string;
  venue: string;
  address: string;
  startsAt: Date;
  saleStartsAt: Date;
  saleEndsAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  posterImageKey: string | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The audit log's vocabulary is the audit-events contract's, so an entry projected from another
 * subgraph and one catalog writes itself read the same.
 */
export type { AuditEntityType, AuditSource } from "@urr/events";

export interface AuditRecord {
  id: string;
  /** The subgraph that performed the action. */
  source: AuditSource;
  actorId: string;
  actorEmail: string;
  action: string;
  entityType: AuditEntityType;
  entityId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  at: Date;
}
