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
  createdAt: Date;
}

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

export type AuditEntityType = "EVENT" | "ARTIST";

export interface AuditRecord {
  id: string;
  actorId: string;
  actorEmail: string;
  action: string;
  entityType: AuditEntityType;
  entityId: string;
  before: unknown;
  after: unknown;
  at: Date;
}
