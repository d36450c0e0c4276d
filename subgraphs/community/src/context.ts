import type { Viewer } from "@urr/auth-tokens";
import type { BaseContext } from "@urr/subgraph-kit";
import DataLoader from "dataloader";
import type { BoardService } from "./domain/board.service.ts";
import type { CommentService } from "./domain/comment.service.ts";
import type { ModerationService } from "./domain/moderation.service.ts";
import type { NewsService } from "./domain/news.service.ts";
import type { CommentRecord, NewsRecord, PostRecord } from "./domain/records.ts";
import type { CommunityStore } from "./repositories/community-store.ts";

export interface CommunityContext extends BaseContext {
  news: NewsService;
  board: BoardService;
  comments: CommentService;
  moderation: ModerationService;
  loaders: CommunityLoaders;
}

export interface CommunityLoaders {
  newsById: DataLoader<string, NewsRecord | null>;
  postById: DataLoader<string, PostRecord | null>;
  commentById: DataLoader<string, CommentRecord | null>;
  postCountByArtist: DataLoader<string, number>;
  postCountByUser: DataLoader<string, number>;
  commentCountByUser: DataLoader<string, number>;
  /** Whether the viewer may write on each artist's board (false when signed out). */
  viewerCanPost: DataLoader<string, boolean>;
}

function byId<T extends { id: string }>(load: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const found = new Map((await load(ids)).map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

function counts(load: (ids: readonly string[]) => Promise<Map<string, number>>) {
  return new DataLoader<string, number>(async (ids) => {
    const found = await load(ids);
    return ids.map((id) => found.get(id) ?? 0);
  });
}

/** Per request: a page of posts asks for its comments' counts, authors and artists in one query each. */
export function createLoaders(store: CommunityStore, viewer: Viewer, now: () => Date): CommunityLoaders {
  const { repos } = store;
  return {
    newsById: byId((ids) => repos.news.findByIds(ids)),
    postById: byId((ids) => repos.posts.findByIds(ids)),
    commentById: byId((ids) => repos.comments.findByIds(ids)),
    postCountByArtist: counts((ids) => repos.posts.countForArtists(ids)),
    postCountByUser: counts((ids) => repos.posts.countForAuthors(ids)),
    commentCountByUser: counts((ids) => repos.comments.countForAuthors(ids)),
    viewerCanPost: new DataLoader<string, boolean>(async (artistIds) => {
      if (!viewer.authenticated) return artistIds.map(() => false);
      const standings = await repos.memberships.standings(viewer.userId, artistIds, now());
      return artistIds.map((id) => standings.get(id) === "MEMBER");
    }),
  };
}
