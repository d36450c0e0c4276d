import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { ConflictError, NotFoundError } from "@urr/errors";
import { checkId, requireAdmin } from "@urr/subgraph-kit";
import type { CommunityRepositories, CommunityStore } from "../repositories/community-store.ts";
import { hideReason } from "./content-rules.ts";
import type { CommentRecord, PostRecord } from "./records.ts";

/**
 * Admins hide posts and comments (and show them again). Nothing is deleted: a hidden item is kept
 * as evidence and shown to admins only. Each decision is authorised here, made under the item's row
 * lock, and recorded in the audit log (audit-events through the outbox) in the same transaction;
 * a hidden comment leaves its post's `commentCount` in that transaction too.
 */
export class ModerationService {
  private readonly clock: () => Date;

  constructor(private readonly deps: { store: CommunityStore; clock?: () => Date }) {
    this.clock = deps.clock ?? (() => new Date());
  }

  hidePost(viewer: Viewer, id: string, reasonInput: string): Promise<PostRecord> {
    const admin = requireAdmin(viewer);
    const postId = checkId(id);
    const reason = hideReason(reasonInput);
    return this.deps.store.transaction(async (repos) => {
      const before = await this.lockPost(repos, postId);
      if (before.hiddenAt) throw new ConflictError("This post is hidden already", { reason: "POST_HIDDEN" });
      const after = await repos.posts.update(postId, {
        hiddenAt: this.clock(),
        hiddenBy: admin.userId,
        hiddenReason: reason,
      });
      await this.audit(repos, admin, "post.hide", "POST", before, after, reason);
      return after;
    });
  }

  unhidePost(viewer: Viewer, id: string): Promise<PostRecord> {
    const admin = requireAdmin(viewer);
    const postId = checkId(id);
    return this.deps.store.transaction(async (repos) => {
      const before = await this.lockPost(repos, postId);
      if (!before.hiddenAt) throw new ConflictError("This post is not hidden", { reason: "POST_VISIBLE" });
      const after = await repos.posts.update(postId, { hiddenAt: null, hiddenBy: null, hiddenReason: null });
      await this.audit(repos, admin, "post.unhide", "POST", before, after);
      return after;
    });
  }

  hideComment(viewer: Viewer, id: string, reasonInput: string): Promise<CommentRecord> {
    const admin = requireAdmin(viewer);
    const commentId = checkId(id);
    const reason = hideReason(reasonInput);
    return this.deps.store.transaction(async (repos) => {
      const before = await this.lockComment(repos, commentId);
      if (before.hiddenAt)
        throw new ConflictError("This comment is hidden already", { reason: "COMMENT_HIDDEN" });
      const after = await repos.comments.update(commentId, {
        hiddenAt: this.clock(),
        hiddenBy: admin.userId,
        hiddenReason: reason,
      });
      await repos.posts.moveCommentCount(before.postId, -1);
      await this.audit(repos, admin, "comment.hide", "COMMENT", before, after, reason);
      return after;
    });
  }

  unhideComment(viewer: Viewer, id: string): Promise<CommentRecord> {
    const admin = requireAdmin(viewer);
    const commentId = checkId(id);
    return this.deps.store.transaction(async (repos) => {
      const before = await this.lockComment(repos, commentId);
      if (!before.hiddenAt)
        throw new ConflictError("This comment is not hidden", { reason: "COMMENT_VISIBLE" });
      const after = await repos.comments.update(commentId, {
        hiddenAt: null,
        hiddenBy: null,
        hiddenReason: null,
      });
      await repos.posts.moveCommentCount(before.postId, 1);
      await this.audit(repos, admin, "comment.unhide", "COMMENT", before, after);
      return after;
    });
  }

  private async lockPost(repos: CommunityRepositories, postId: string): Promise<PostRecord> {
    const post = await repos.posts.lock(postId);
    if (!post) throw new NotFoundError("Post", postId);
    return post;
  }

  /** Its post first, then the comment (the lock order of every writer, see comment.repository.ts). */
  private async lockComment(repos: CommunityRepositories, commentId: string): Promise<CommentRecord> {
    const found = await repos.comments.find(commentId);
    if (!found) throw new NotFoundError("Comment", commentId);
    await repos.posts.lock(found.postId);
    const comment = await repos.comments.lock(commentId);
    if (!comment) throw new NotFoundError("Comment", commentId);
    return comment;
  }

  private audit(
    repos: CommunityRepositories,
    admin: AuthenticatedViewer,
    action: string,
    entityType: "POST" | "COMMENT",
    before: PostRecord | CommentRecord,
    after: PostRecord | CommentRecord,
    reason?: string,
  ): Promise<void> {
    return repos.audit(admin, {
      action,
      entityType,
      entityId: before.id,
      before,
      after,
      reason: reason ?? null,
    });
  }
}
