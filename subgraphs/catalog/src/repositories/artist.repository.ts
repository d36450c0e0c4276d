import type { ArtistFields } from "../domain/event-input.ts";
import type { ArtistRecord, MusicCatalogSource } from "../domain/records.ts";
import type { Db, Prisma } from "./prisma.ts";

const ARTIST_FIELDS = {
  id: true,
  name: true,
  description: true,
  genre: true,
  imageUrl: true,
  membershipPrice: true,
  revision: true,
  externalSource: true,
  externalId: true,
  externalUrl: true,
  popularity: true,
  importedAt: true,
  createdAt: true,
} as const;

type ArtistRow = Prisma.ArtistGetPayload<{ select: typeof ARTIST_FIELDS }>;

/** What an import writes: the music catalog's view of the artist (see artist-import.service.ts). */
export interface ImportedArtistFields {
  name: string;
  genre: string | null;
  imageUrl: string | null;
  externalSource: MusicCatalogSource;
  externalId: string;
  externalUrl: string | null;
  popularity: number | null;
  importedAt: Date;
}

/** The column's CHECK constraint admits only the sources this code knows. */
const toArtist = (row: ArtistRow): ArtistRecord => ({
  ...row,
  externalSource: row.externalSource as MusicCatalogSource | null,
});

/**
 * Whether the artist's name contains `term` or one of its aliases begins with `aliasPrefix`
 * (normalized like the aliases; the prefix match is what artist_aliases_normalized_prefix indexes).
 */
export function nameOrAliasMatches(term: string, aliasPrefix: string): Prisma.ArtistWhereInput {
  return {
    OR: [
      { name: { contains: term, mode: "insensitive" } },
      { aliases: { some: { normalized: { startsWith: aliasPrefix } } } },
    ],
  };
}

export class ArtistRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string): Promise<ArtistRecord | null> {
    const row = await this.db.artist.findUnique({ where: { id }, select: ARTIST_FIELDS });
    return row && toArtist(row);
  }

  async findByIds(ids: readonly string[]): Promise<ArtistRecord[]> {
    const rows = await this.db.artist.findMany({ where: { id: { in: [...ids] } }, select: ARTIST_FIELDS });
    return rows.map(toArtist);
  }

  async findByName(name: string): Promise<ArtistRecord | null> {
    const row = await this.db.artist.findUnique({ where: { name }, select: ARTIST_FIELDS });
    return row && toArtist(row);
  }

  /** The artists imported from these records of one music catalog. */
  async findByExternalIds(
    source: MusicCatalogSource,
    externalIds: readonly string[],
  ): Promise<ArtistRecord[]> {
    const rows = await this.db.artist.findMany({
      where: { externalSource: source, externalId: { in: [...externalIds] } },
      select: ARTIST_FIELDS,
    });
    return rows.map(toArtist);
  }

  /** By name, ties by id; keyset after (name, id). */
  async list(query: {
    search?: { term: string; aliasPrefix: string };
    after?: { name: string; id: string };
    limit: number;
  }): Promise<ArtistRecord[]> {
    const and: Prisma.ArtistWhereInput[] = [];
    if (query.search) and.push(nameOrAliasMatches(query.search.term, query.search.aliasPrefix));
    if (query.after) {
      const { name, id } = query.after;
      and.push({ OR: [{ name: { gt: name } }, { name, id: { gt: id } }] });
    }
    const rows = await this.db.artist.findMany({
      where: { AND: and },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      take: query.limit,
      select: ARTIST_FIELDS,
    });
    return rows.map(toArtist);
  }

  async findForUpdate(id: string): Promise<ArtistRecord | null> {
    const locked = await this.db.$queryRaw<
      { id: string }[]
    >`SELECT id FROM artists WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length ? this.findById(id) : null;
  }

  /** The artist imported from this record, locked for the rest of the transaction; null if none. */
  async findImportedForUpdate(source: MusicCatalogSource, externalId: string): Promise<ArtistRecord | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM artists WHERE external_source = ${source} AND external_id = ${externalId} FOR UPDATE`;
    const id = locked[0]?.id;
    return id ? this.findById(id) : null;
  }

  async create(
    artist: Omit<ArtistFields, "membershipPrice"> & {
      membershipPrice?: number;
    } & Partial<ImportedArtistFields>,
  ): Promise<ArtistRecord> {
    return toArtist(await this.db.artist.create({ data: artist, select: ARTIST_FIELDS }));
  }

  /** Every change moves the revision on, so consumers of catalog-events keep the newest state. */
  async update(id: string, changes: Partial<ArtistFields> | ImportedArtistFields): Promise<ArtistRecord> {
    const row = await this.db.artist.update({
      where: { id },
      data: { ...changes, revision: { increment: 1 } },
      select: ARTIST_FIELDS,
    });
    return toArtist(row);
  }
}
