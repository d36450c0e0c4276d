import type { CommentRecord } from "../domain/records.ts";
import type { Db, Prisma } from "./prisma.ts";

const FIELDS = {
  id: true,
  postId: true,
  authorId: true,
  body: true,
  editedAt: true,
  hiddenAt: true,
  hiddenBy: true,
  hiddenReason: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.CommentSelect;

/** The rows after `after` in (createdAt asc, id asc) order: comments read as a conversation. */
function oldestFirstAfter(after: { createdAt: Date; id: string } | undefined): Prisma.CommentWhereInput {
  return after
    ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }
    : {};
}

/*
 * Lock order, everywhere: the post, then its comments (deleting a post cascades in that order), so
 * comment changes never deadlock with a post's deletion.
 */
export class CommentRepository {
  constructor(private readonly db: Db) {}

  /**
   * Adds a comment and counts it in one statement: the post's `comment_count + 1` (computed by
   * PostgreSQL under the row lock, so concurrent comments each add one) and the insert commit
   * together. Null when the post is gone or hidden by then (nothing written).
   */
  async createCounted(row: {
    id: string;
    postId: string;
    authorId: string;
    body: string;
  }): Promise<CommentRecord | null> {
    const inserted = await this.db.$queryRaw<{ id: string }[]>`
      WITH counted AS (
        UPDATE posts SET comment_count = comment_count + 1
        WHERE id = ${row.postId}::uuid AND hidden_at IS NULL
        RETURNING id
      )
      INSERT INTO comments (id, post_id, author_id, body, created_at, updated_at)
      SELECT ${row.id}::uuid, counted.id, ${row.authorId}::uuid, ${row.body}, now(), now() FROM counted
      RETURNING id`;
    return inserted.length ? this.find(row.id) : null;
  }

  async find(id: string): Promise<CommentRecord | null> {
    return this.db.comment.findUnique({ where: { id }, select: FIELDS });
  }

  async findByIds(ids: readonly string[]): Promise<CommentRecord[]> {
    return this.db.comment.findMany({ where: { id: { in: [...ids] } }, select: FIELDS });
  }

  /** Row-locked (after its post: see the lock order above). */
  async lock(id: string): Promise<CommentRecord | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM comments WHERE id = ${id}::uuid FOR NO KEY UPDATE`;
    return locked.length ? this.find(id) : null;
  }

  async update(
    id: string,
    changes: Partial<Pick<CommentRecord, "body" | "editedAt" | "hiddenAt" | "hiddenBy" | "hiddenReason">>,
  ): Promise<CommentRecord> {
    return this.db.comment.update({ where: { id }, data: changes, select: FIELDS });
  }

  async delete(id: string): Promise<void> {
    await this.db.comment.delete({ where: { id } });
  }

  /** A post's visible comments, oldest first. */
  async listForPost(
    postId: string,
    after: { createdAt: Date; id: string } | undefined,
    limit: number,
  ): Promise<CommentRecord[]> {
    return this.db.comment.findMany({
      where: { postId, hiddenAt: null, ...oldestFirstAfter(after) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: limit,
      select: FIELDS,
    });
  }

  /** Visible comments per author, under visible posts (what a reader can find), counted. */
  async countForAuthors(authorIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.comment.groupBy({
      by: ["authorId"],
      where: { authorId: { in: [...authorIds] }, hiddenAt: null, post: { hiddenAt: null } },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.authorId, r._count._all]));
  }
}
