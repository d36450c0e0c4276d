import { newestFirstAfter } from "@urr/subgraph-kit";
import type { NewsRecord, NewsStatus } from "../domain/records.ts";
import type { Db, Prisma } from "./prisma.ts";

const FIELDS = {
  id: true,
  title: true,
  body: true,
  status: true,
  pinned: true,
  authorId: true,
  publishedAt: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.NewsSelect;

/** Where a reader stopped in the public list: pinned first, then newest published first. */
export interface PublishedPosition {
  pinned: boolean;
  publishedAt: Date;
  id: string;
}

/** The rows after `after` in (pinned desc, publishedAt desc, id desc) order. */
function publishedAfter(after: PublishedPosition | undefined): Prisma.NewsWhereInput {
  if (!after) return {};
  const sameGroupAfter: Prisma.NewsWhereInput = {
    pinned: after.pinned,
    OR: [
      { publishedAt: { lt: after.publishedAt } },
      { publishedAt: after.publishedAt, id: { lt: after.id } },
    ],
  };
  // From inside the pinned group every unpinned item still follows; from the unpinned group, none.
  return after.pinned ? { OR: [sameGroupAfter, { pinned: false }] } : sameGroupAfter;
}

export class NewsRepository {
  constructor(private readonly db: Db) {}

  async create(row: {
    id: string;
    title: string;
    body: string;
    pinned: boolean;
    authorId: string;
    publishedAt: Date | null;
  }): Promise<NewsRecord> {
    return this.db.news.create({
      data: { ...row, status: row.publishedAt ? "PUBLISHED" : "DRAFT" },
      select: FIELDS,
    });
  }

  async findByIds(ids: readonly string[]): Promise<NewsRecord[]> {
    return this.db.news.findMany({ where: { id: { in: [...ids] } }, select: FIELDS });
  }

  /** Row-locked for an admin change (no other change in between, audit before/after exact). */
  async lock(id: string): Promise<NewsRecord | null> {
    const locked = await this.db.$queryRaw<
      { id: string }[]
    >`SELECT id FROM news WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    return this.db.news.findUnique({ where: { id }, select: FIELDS });
  }

  async update(
    id: string,
    changes: Partial<Pick<NewsRecord, "title" | "body" | "status" | "pinned" | "publishedAt">>,
  ): Promise<NewsRecord> {
    return this.db.news.update({ where: { id }, data: changes, select: FIELDS });
  }

  async delete(id: string): Promise<void> {
    await this.db.news.delete({ where: { id } });
  }

  async listPublished(after: PublishedPosition | undefined, limit: number): Promise<NewsRecord[]> {
    return this.db.news.findMany({
      where: { status: "PUBLISHED", ...publishedAfter(after) },
      orderBy: [{ pinned: "desc" }, { publishedAt: "desc" }, { id: "desc" }],
      take: limit,
      select: FIELDS,
    });
  }

  /** Every item (admins), newest written first. */
  async listAll(
    status: NewsStatus | undefined,
    after: { createdAt: Date; id: string } | undefined,
    limit: number,
  ): Promise<NewsRecord[]> {
    return this.db.news.findMany({
      where: { ...(status ? { status } : {}), ...newestFirstAfter(after) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      select: FIELDS,
    });
  }
}
