import type { Db } from "./prisma.ts";

export interface AliasRecord {
  artistId: string;
  /** As the admin wrote it (trimmed). */
  alias: string;
  /** What searches and duplicate checks compare (see domain/artist-alias.ts). */
  normalized: string;
}

const ALIAS_FIELDS = { artistId: true, alias: true, normalized: true } as const;

/** Artists' search aliases (`artist_aliases`). */
export class AliasRepository {
  constructor(private readonly db: Db) {}

  /** Each artist's aliases, A to Z as written. */
  ofArtists(artistIds: readonly string[]): Promise<AliasRecord[]> {
    return this.db.artistAlias.findMany({
      where: { artistId: { in: [...artistIds] } },
      orderBy: [{ artistId: "asc" }, { alias: "asc" }],
      select: ALIAS_FIELDS,
    });
  }

  async add(alias: AliasRecord): Promise<void> {
    await this.db.artistAlias.create({ data: alias });
  }

  /** False when the artist has no such alias. */
  async remove(artistId: string, normalized: string): Promise<boolean> {
    const { count } = await this.db.artistAlias.deleteMany({ where: { artistId, normalized } });
    return count === 1;
  }
}
