import { type AdminAction, recordAdminAction } from "@urr/audit";
import type { AuthenticatedViewer } from "@urr/auth-tokens";
import { type EventEnvelope, markProcessed } from "@urr/events";
import { CommentRepository } from "./comment.repository.ts";
import { MembershipRepository } from "./membership.repository.ts";
import { NewsRepository } from "./news.repository.ts";
import { PostRepository } from "./post.repository.ts";
import type { Db, PrismaClient } from "./prisma.ts";

export interface CommunityRepositories {
  news: NewsRepository;
  posts: PostRepository;
  comments: CommentRepository;
  memberships: MembershipRepository;
  /** An admin action's audit record (audit-events, through the outbox), in the action's transaction. */
  audit(admin: AuthenticatedViewer, change: AdminAction): Promise<void>;
  /** False when this consumed event was applied before (see @urr/events markProcessed). */
  markProcessed(event: EventEnvelope): Promise<boolean>;
}

function repositories(db: Db): CommunityRepositories {
  return {
    news: new NewsRepository(db),
    posts: new PostRepository(db),
    comments: new CommentRepository(db),
    memberships: new MembershipRepository(db),
    audit: async (admin, change) => {
      await recordAdminAction(db, "community", admin, change);
    },
    markProcessed: (event) => markProcessed(db, event.id, event.type),
  };
}

export class CommunityStore {
  readonly repos: CommunityRepositories;

  constructor(private readonly prisma: PrismaClient) {
    this.repos = repositories(prisma);
  }

  transaction<T>(work: (repos: CommunityRepositories) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(repositories(tx)));
  }
}
