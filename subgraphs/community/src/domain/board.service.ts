import { randomUUID } from "node:crypto";
import type { Viewer } from "@urr/auth-tokens";
import { BadUserInputError, ConflictError, NotFoundError } from "@urr/errors";
import { checkId, requireViewer } from "@urr/subgraph-kit";
import type { CommunityStore } from "../repositories/community-store.ts";
import { assertAuthor, visibleTo } from "./authorship.ts";
import { postBody, postTitle } from "./content-rules.ts";
import { assertCanWrite } from "./membership-gate.ts";
import { byCreation, type ListPage, pageOf } from "./pages.ts";
import type { PostRecord } from "./records.ts";

export interface CreatePostInput {
  title: string;
  body: string;
}

export interface UpdatePostInput {
  title?: string | null;
  body?: string | null;
}

/**
 * Artist boards: anyone reads them; members of the artist's fan club write on them; authors edit
 * (while still members) and delete (always) what they wrote. Moderation is ModerationService's.
 */
export class BoardService {
  private readonly clock: () => Date;

  constructor(private readonly deps: { store: CommunityStore; clock?: () => Date }) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** An artist's visible posts, newest first. */
  board(artistId: string, first: number | null | undefined, after: string | null | undefined) {
    const position = byCreation.decode(after);
    return pageOf<PostRecord>(first, byCreation.cursor, (limit) =>
      this.deps.store.repos.posts.listForArtist(artistId, position, limit),
    );
  }

  /** A user's visible posts on every board, newest first. */
  postsBy(
    userId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<ListPage<PostRecord>> {
    const position = byCreation.decode(after);
    return pageOf(first, byCreation.cursor, (limit) =>
      this.deps.store.repos.posts.listForAuthor(userId, position, limit),
    );
  }

  async post(viewer: Viewer, id: string): Promise<PostRecord | null> {
    const post = await this.deps.store.repos.posts.find(checkId(id));
    return post && visibleTo(viewer, post) ? post : null;
  }

  async create(viewer: Viewer, artistIdInput: string, input: CreatePostInput): Promise<PostRecord> {
    const user = requireViewer(viewer);
    const artistId = checkId(artistIdInput, "artistId");
    const title = postTitle(input.title);
    const body = postBody(input.body);
    const { repos } = this.deps.store;
    await assertCanWrite(repos, user.userId, artistId, this.clock());
    return repos.posts.create({ id: randomUUID(), artistId, authorId: user.userId, title, body });
  }

  async update(viewer: Viewer, id: string, input: UpdatePostInput): Promise<PostRecord> {
    const user = requireViewer(viewer);
    const postId = checkId(id);
    const changes: { title?: string; body?: string } = {};
    if (input.title != null) changes.title = postTitle(input.title);
    if (input.body != null) changes.body = postBody(input.body);
    if (Object.keys(changes).length === 0) throw new BadUserInputError("Nothing to change", "input");
    return this.deps.store.transaction(async (repos) => {
      const post = await repos.posts.lock(postId);
      if (!post) throw new NotFoundError("Post", postId);
      assertAuthor(user, post, "post");
      if (post.hiddenAt)
        throw new ConflictError("A moderator hid this post; it cannot be edited", { reason: "POST_HIDDEN" });
      await assertCanWrite(repos, user.userId, post.artistId, this.clock());
      return repos.posts.update(postId, { ...changes, editedAt: this.clock() });
    });
  }

  /** Deletes the author's post with its comments. Needs no membership: one's writing can always go. */
  async delete(viewer: Viewer, id: string): Promise<string> {
    const user = requireViewer(viewer);
    const postId = checkId(id);
    const { repos } = this.deps.store;
    const post = await repos.posts.find(postId);
    if (!post) throw new NotFoundError("Post", postId);
    assertAuthor(user, post, "post");
    // Conditional on the author again, so nothing but the author's own post can ever be deleted.
    if (!(await repos.posts.deleteOwn(postId, user.userId))) throw new NotFoundError("Post", postId);
    return postId;
  }

  /**
   * Opens a post: a signed-in reader is counted once (their first view), a signed-out one not at
   * all, so the count cannot be inflated by reloading.
   */
  async view(viewer: Viewer, id: string): Promise<PostRecord> {
    const postId = checkId(id);
    const { repos } = this.deps.store;
    const post = await repos.posts.find(postId);
    if (!post || !visibleTo(viewer, post)) throw new NotFoundError("Post", postId);
    if (!viewer.authenticated || !(await repos.posts.recordView(postId, viewer.userId))) return post;
    return (await repos.posts.find(postId)) ?? post;
  }
}
