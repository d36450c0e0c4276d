import type { PrismaClient } from "./prisma.ts";
import { SessionRepository } from "./session.repository.ts";
import { UserRepository } from "./user.repository.ts";

export interface AuthRepositories {
  users: UserRepository;
  sessions: SessionRepository;
}

/** Hands out repositories bound to the root client or to one transaction. */
export class AuthStore {
  readonly repos: AuthRepositories;

  constructor(private readonly prisma: PrismaClient) {
    this.repos = { users: new UserRepository(prisma), sessions: new SessionRepository(prisma) };
  }

  /** Everything inside commits together or not at all. */
  transaction<T>(work: (repos: AuthRepositories) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) =>
      work({ users: new UserRepository(tx), sessions: new SessionRepository(tx) }),
    );
  }
}
