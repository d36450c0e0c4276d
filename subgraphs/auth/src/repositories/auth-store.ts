import { type AdminAction, recordAdminAction } from "@urr/audit";
import type { AuthenticatedViewer } from "@urr/auth-tokens";
import { ApiKeyRepository } from "./api-key.repository.ts";
import { ApiKeyUsageRepository } from "./api-key-usage.repository.ts";
import type { Db, PrismaClient } from "./prisma.ts";
import { SessionRepository } from "./session.repository.ts";
import { UserRepository } from "./user.repository.ts";

export interface AuthRepositories {
  users: UserRepository;
  sessions: SessionRepository;
  apiKeys: ApiKeyRepository;
  apiKeyUsage: ApiKeyUsageRepository;
  /** Records an admin action (audit-events) in the same transaction as the change it describes. */
  audit(admin: AuthenticatedViewer, change: AdminAction): Promise<void>;
}

function repositories(db: Db): AuthRepositories {
  return {
    users: new UserRepository(db),
    sessions: new SessionRepository(db),
    apiKeys: new ApiKeyRepository(db),
    apiKeyUsage: new ApiKeyUsageRepository(db),
    audit: async (admin, change) => {
      await recordAdminAction(db, "auth", admin, change);
    },
  };
}

/** Hands out repositories bound to the root client or to one transaction. */
export class AuthStore {
  readonly repos: AuthRepositories;

  constructor(private readonly prisma: PrismaClient) {
    this.repos = repositories(prisma);
  }

  /** Everything inside commits together or not at all. */
  transaction<T>(work: (repos: AuthRepositories) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(repositories(tx)));
  }
}
