import { randomUUID } from "node:crypto";
import type { Viewer } from "@urr/auth-tokens";
import { ConflictError, NotFoundError } from "@urr/errors";
import { checkId, requireViewer } from "@urr/subgraph-kit";
import type { CommunityStore } from "../repositories/community-store.ts";
import { assertAuthor, visibleTo } from "./authorship.ts";
import { commentBody } from "./content-rules.ts";
import { assertCanWrite } from "./membership-gate.ts";
import { byCreation, type ListPage, pageOf } from "./pages.ts";
import type { CommentRecord, PostRecord } from "./records.ts";

/**
 * Comments under posts: public to read, written by members of the post's artist's fan club, edited
 * (while still members) and deleted by their authors. `Post.commentCount` moves in the same
 * statement or transaction as each change, by SQL arithmetic on the locked row, so it stays equal
 * to the visible comments however many fans write at once.
 */
export class CommentService {
  private readonly clock: () => Date;

  constructor(private readonly deps: { store: CommunityStore; clock?: () => Date }) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** A post's visible comments, oldest first. */
  comments(
    postId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<ListPage<CommentRecord>> {
    const position = byCreation.decode(after);
    return pageOf(first, byCreation.cursor, (limit) =>
      this.deps.store.repos.comments.listForPost(postId, position, limit),
    );
  }

  /** A comment is visible when it and its post are (admins see everything). */
  static visible(
    viewer: Viewer,
    comment: CommentRecord | null,
    post: PostRecord | null,
  ): CommentRecord | null {
    return comment && post && visibleTo(viewer, comment) && visibleTo(viewer, post) ? comment : null;
  }

  async comment(viewer: Viewer, id: string): Promise<CommentRecord | null> {
    const { repos } = this.deps.store;
    const comment = await repos.comments.find(checkId(id));
    return CommentService.visible(viewer, comment, comment && (await repos.posts.find(comment.postId)));
  }

  async create(viewer: Viewer, postIdInput: string, text: string): Promise<CommentRecord> {
    const user = requireViewer(viewer);
    const postId = checkId(postIdInput, "postId");
    const body = commentBody(text);
    const { repos } = this.deps.store;
    const post = await repos.posts.find(postId);
    if (!post || post.hiddenAt) throw new NotFoundError("Post", postId);
    await assertCanWrite(repos, user.userId, post.artistId, this.clock());
    // Counted and inserted in one statement; null if the post was deleted or hidden meanwhile.
    const comment = await repos.comments.createCounted({
      id: randomUUID(),
      postId,
      authorId: user.userId,
      body,
    });
    if (!comment) throw new NotFoundError("Post", postId);
    return comment;
  }

  async update(viewer: Viewer, id: string, text: string): Promise<CommentRecord> {
    const user = requireViewer(viewer);
    const commentId = checkId(id);
    const body = commentBody(text);
    return this.deps.store.transaction(async (repos) => {
      const comment = await repos.comments.lock(commentId);
      if (!comment) throw new NotFoundError("Comment", commentId);
      assertAuthor(user, comment, "comment");
      if (comment.hiddenAt)
        throw new ConflictError("A moderator hid this comment; it cannot be edited", {
          reason: "COMMENT_HIDDEN",
        });
      const post = await repos.posts.find(comment.postId);
      if (!post || post.hiddenAt) throw new NotFoundError("Post", comment.postId);
      await assertCanWrite(repos, user.userId, post.artistId, this.clock());
      return repos.comments.update(commentId, { body, editedAt: this.clock() });
    });
  }

  /** Deletes the author's comment; a visible one is uncounted in the same transaction. */
  async delete(viewer: Viewer, id: string): Promise<string> {
    const user = requireViewer(viewer);
    const commentId = checkId(id);
    return this.deps.store.transaction(async (repos) => {
      const found = await repos.comments.find(commentId);
      if (!found) throw new NotFoundError("Comment", commentId);
      assertAuthor(user, found, "comment");
      // The post first, then the comment: the lock order a post's deletion (cascading) uses too.
      await repos.posts.lock(found.postId);
      const comment = await repos.comments.lock(commentId);
      if (!comment) throw new NotFoundError("Comment", commentId);
      await repos.comments.delete(commentId);
      if (!comment.hiddenAt) await repos.posts.moveCommentCount(comment.postId, -1);
      return commentId;
    });
  }
}
