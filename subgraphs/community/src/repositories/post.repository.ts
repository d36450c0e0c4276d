import { newestFirstAfter } from "@urr/subgraph-kit";
import type { PostRecord } from "../domain/records.ts";
import type { Db, Prisma } from "./prisma.ts";

const FIELDS = {
  id: true,
  artistId: true,
  authorId: true,
  title: true,
  body: true,
  commentCount: true,
  viewCount: true,
  editedAt: true,
  hiddenAt: true,
  hiddenBy: true,
  hiddenReason: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.PostSelect;

type Position = { createdAt: Date; id: string } | undefined;

/** What the public sees: posts no moderator hid. */
const VISIBLE = { hiddenAt: null } as const;

export class PostRepository {
  constructor(private readonly db: Db) {}

  async create(row: {
    id: string;
    artistId: string;
    authorId: string;
    title: string;
    body: string;
  }): Promise<PostRecord> {
    return this.db.post.create({ data: row, select: FIELDS });
  }

  async findByIds(ids: readonly string[]): Promise<PostRecord[]> {
    return this.db.post.findMany({ where: { id: { in: [...ids] } }, select: FIELDS });
  }

  async find(id: string): Promise<PostRecord | null> {
    return this.db.post.findUnique({ where: { id }, select: FIELDS });
  }

  /** Row-locked: an edit or a moderation decision sees no concurrent change to the post. */
  async lock(id: string): Promise<PostRecord | null> {
    const locked = await this.db.$queryRaw<
      { id: string }[]
    >`SELECT id FROM posts WHERE id = ${id}::uuid FOR NO KEY UPDATE`;
    return locked.length ? this.find(id) : null;
  }

  async update(
    id: string,
    changes: Partial<
      Pick<PostRecord, "title" | "body" | "editedAt" | "hiddenAt" | "hiddenBy" | "hiddenReason">
    >,
  ): Promise<PostRecord> {
    return this.db.post.update({ where: { id }, data: changes, select: FIELDS });
  }

  /** Deletes the post (its comments and views go with it) if `authorId` wrote it; false otherwise. */
  async deleteOwn(id: string, authorId: string): Promise<boolean> {
    const deleted = await this.db.$executeRaw`
      DELETE FROM posts WHERE id = ${id}::uuid AND author_id = ${authorId}::uuid`;
    return deleted === 1;
  }

  /** An artist's board: visible posts, newest first. */
  async listForArtist(artistId: string, after: Position, limit: number): Promise<PostRecord[]> {
    return this.db.post.findMany({
      where: { artistId, ...VISIBLE, ...newestFirstAfter(after) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      select: FIELDS,
    });
  }

  /** What a user wrote on every board: visible posts, newest first. */
  async listForAuthor(authorId: string, after: Position, limit: number): Promise<PostRecord[]> {
    return this.db.post.findMany({
      where: { authorId, ...VISIBLE, ...newestFirstAfter(after) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      select: FIELDS,
    });
  }

  /** Visible posts per artist, counted (a count cannot drift the way a stored counter can). */
  async countForArtists(artistIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.post.groupBy({
      by: ["artistId"],
      where: { artistId: { in: [...artistIds] }, ...VISIBLE },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.artistId, r._count._all]));
  }

  async countForAuthors(authorIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.post.groupBy({
      by: ["authorId"],
      where: { authorId: { in: [...authorIds] }, ...VISIBLE },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.authorId, r._count._all]));
  }

  /**
   * Counts `viewerId` as a reader of the post once, in one statement: the view row and the
   * increment commit together or not at all, and concurrent views are each added (the increment
   * is `view_count + 1` in SQL, never a value read before). KEY SHARE keeps the post from being
   * deleted in between. True when this was the viewer's first view.
   */
  async recordView(postId: string, viewerId: string): Promise<boolean> {
    const counted = await this.db.$executeRaw`
      WITH target AS (SELECT id FROM posts WHERE id = ${postId}::uuid FOR KEY SHARE),
      viewed AS (
        INSERT INTO post_views (post_id, viewer_id, viewed_at)
        SELECT id, ${viewerId}::uuid, now() FROM target
        ON CONFLICT (post_id, viewer_id) DO NOTHING
        RETURNING post_id
      )
      UPDATE posts SET view_count = view_count + 1 FROM viewed WHERE posts.id = viewed.post_id`;
    return counted === 1;
  }

  /** Moves the visible-comment counter by ±1 (a comment hidden or shown again), atomically in SQL. */
  async moveCommentCount(postId: string, delta: 1 | -1): Promise<void> {
    await this.db.$executeRaw`
      UPDATE posts SET comment_count = comment_count + ${delta} WHERE id = ${postId}::uuid`;
  }
}
