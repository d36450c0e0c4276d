import { randomUUID } from "node:crypto";
import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { BadUserInputError, ConflictError, NotFoundError } from "@urr/errors";
import { checkId, requireAdmin } from "@urr/subgraph-kit";
import type { CommunityRepositories, CommunityStore } from "../repositories/community-store.ts";
import { isAdmin } from "./authorship.ts";
import { newsBody, newsTitle } from "./content-rules.ts";
import { byCreation, byPublication, type ListPage, pageOf } from "./pages.ts";
import type { NewsRecord, NewsStatus } from "./records.ts";

export interface CreateNewsInput {
  title: string;
  body: string;
  pinned?: boolean | null;
  publish?: boolean | null;
}

export interface UpdateNewsInput {
  title?: string | null;
  body?: string | null;
}

/**
 * News: everyone reads what is published; admins write, publish, pin and delete. Each admin action
 * is authorised here (not only by the schema), locks the item it changes and writes its audit
 * record in the same transaction, so the log holds exactly the changes that happened.
 */
export class NewsService {
  private readonly clock: () => Date;

  constructor(private readonly deps: { store: CommunityStore; clock?: () => Date }) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Published news: pinned first, then newest published first. */
  list(first: number | null | undefined, after: string | null | undefined): Promise<ListPage<NewsRecord>> {
    const position = byPublication.decode(after);
    return pageOf(first, byPublication.cursor, (limit) =>
      this.deps.store.repos.news.listPublished(position, limit),
    );
  }

  /** Every item, drafts included, newest written first. Admins only. */
  adminList(
    viewer: Viewer,
    status: NewsStatus | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<ListPage<NewsRecord>> {
    requireAdmin(viewer);
    const position = byCreation.decode(after);
    return pageOf(first, byCreation.cursor, (limit) =>
      this.deps.store.repos.news.listAll(status ?? undefined, position, limit),
    );
  }

  async item(viewer: Viewer, id: string): Promise<NewsRecord | null> {
    const [news] = await this.deps.store.repos.news.findByIds([checkId(id)]);
    return NewsService.visible(viewer, news ?? null);
  }

  /** A draft exists only for admins: anyone else gets null, as for an unknown id. */
  static visible(viewer: Viewer, news: NewsRecord | null): NewsRecord | null {
    return news && (news.status === "PUBLISHED" || isAdmin(viewer)) ? news : null;
  }

  async create(viewer: Viewer, input: CreateNewsInput): Promise<NewsRecord> {
    const admin = requireAdmin(viewer);
    const title = newsTitle(input.title);
    const body = newsBody(input.body);
    return this.deps.store.transaction(async (repos) => {
      const news = await repos.news.create({
        id: randomUUID(),
        title,
        body,
        pinned: input.pinned ?? false,
        authorId: admin.userId,
        publishedAt: input.publish ? this.clock() : null,
      });
      await this.audit(repos, admin, "news.create", news.id, null, news);
      return news;
    });
  }

  async update(viewer: Viewer, id: string, input: UpdateNewsInput): Promise<NewsRecord> {
    const admin = requireAdmin(viewer);
    const newsId = checkId(id);
    const changes: { title?: string; body?: string } = {};
    if (input.title != null) changes.title = newsTitle(input.title);
    if (input.body != null) changes.body = newsBody(input.body);
    if (Object.keys(changes).length === 0) throw new BadUserInputError("Nothing to change", "input");
    return this.change(admin, newsId, "news.update", () => changes);
  }

  publish(viewer: Viewer, id: string): Promise<NewsRecord> {
    const admin = requireAdmin(viewer);
    return this.change(admin, checkId(id), "news.publish", (before) => {
      if (before.status === "PUBLISHED")
        throw new ConflictError("This news item is already published", { reason: "NEWS_PUBLISHED" });
      return { status: "PUBLISHED", publishedAt: this.clock() };
    });
  }

  unpublish(viewer: Viewer, id: string): Promise<NewsRecord> {
    const admin = requireAdmin(viewer);
    return this.change(admin, checkId(id), "news.unpublish", (before) => {
      if (before.status === "DRAFT")
        throw new ConflictError("This news item is a draft already", { reason: "NEWS_DRAFT" });
      return { status: "DRAFT", publishedAt: null };
    });
  }

  /** Setting the pin it already has changes nothing and records nothing. */
  pin(viewer: Viewer, id: string, pinned: boolean): Promise<NewsRecord> {
    const admin = requireAdmin(viewer);
    return this.change(admin, checkId(id), pinned ? "news.pin" : "news.unpin", (before) =>
      before.pinned === pinned ? null : { pinned },
    );
  }

  async delete(viewer: Viewer, id: string): Promise<string> {
    const admin = requireAdmin(viewer);
    const newsId = checkId(id);
    return this.deps.store.transaction(async (repos) => {
      const before = await repos.news.lock(newsId);
      if (!before) throw new NotFoundError("News", newsId);
      await repos.news.delete(newsId);
      await this.audit(repos, admin, "news.delete", newsId, before, null);
      return newsId;
    });
  }

  /** Locks the item, asks `decide` what changes (null: nothing), applies it and audits it. */
  private change(
    admin: AuthenticatedViewer,
    newsId: string,
    action: string,
    decide: (before: NewsRecord) => Parameters<CommunityRepositories["news"]["update"]>[1] | null,
  ): Promise<NewsRecord> {
    return this.deps.store.transaction(async (repos) => {
      const before = await repos.news.lock(newsId);
      if (!before) throw new NotFoundError("News", newsId);
      const changes = decide(before);
      if (!changes) return before;
      const after = await repos.news.update(newsId, changes);
      await this.audit(repos, admin, action, newsId, before, after);
      return after;
    });
  }

  private audit(
    repos: CommunityRepositories,
    admin: AuthenticatedViewer,
    action: string,
    entityId: string,
    before: NewsRecord | null,
    after: NewsRecord | null,
  ): Promise<void> {
    return repos.audit(admin, { action, entityType: "NEWS", entityId, before, after });
  }
}
