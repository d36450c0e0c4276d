import type { ArtistFields } from "../domain/event-input.ts";
import type { ArtistRecord } from "../domain/records.ts";
import type { Db, Prisma } from "./prisma.ts";

const ARTIST_FIELDS = {
  id: true,
  name: true,
  description: true,
  genre: true,
  imageUrl: true,
  membershipPrice: true,
  revision: true,
  createdAt: true,
} as const;

export class ArtistRepository {
  constructor(private readonly db: Db) {}

  findById(id: string): Promise<ArtistRecord | null> {
    return this.db.artist.findUnique({ where: { id }, select: ARTIST_FIELDS });
  }

  findByIds(ids: readonly string[]): Promise<ArtistRecord[]> {
    return this.db.artist.findMany({ where: { id: { in: [...ids] } }, select: ARTIST_FIELDS });
  }

  /** By name, ties by id; keyset after (name, id). */
  list(query: {
    search?: string;
    after?: { name: string; id: string };
    limit: number;
  }): Promise<ArtistRecord[]> {
    const and: Prisma.ArtistWhereInput[] = [];
    if (query.search) and.push({ name: { contains: query.search, mode: "insensitive" } });
    if (query.after) {
      const { name, id } = query.after;
      and.push({ OR: [{ name: { gt: name } }, { name, id: { gt: id } }] });
    }
    return this.db.artist.findMany({
      where: { AND: and },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      take: query.limit,
      select: ARTIST_FIELDS,
    });
  }

  async findForUpdate(id: string): Promise<ArtistRecord | null> {
    const locked = await this.db.$queryRaw<
      { id: string }[]
    >`SELECT id FROM artists WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length ? this.findById(id) : null;
  }

  create(
    artist: Omit<ArtistFields, "membershipPrice"> & { membershipPrice?: number },
  ): Promise<ArtistRecord> {
    return this.db.artist.create({ data: artist, select: ARTIST_FIELDS });
  }

  /** Every change moves the revision on, so consumers of catalog-events keep the newest state. */
  update(id: string, changes: Partial<ArtistFields>): Promise<ArtistRecord> {
    return this.db.artist.update({
      where: { id },
      data: { ...changes, revision: { increment: 1 } },
      select: ARTIST_FIELDS,
    });
  }
}
