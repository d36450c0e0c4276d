import type { BaseContext } from "@urr/subgraph-kit";
import DataLoader from "dataloader";
import type { AuthService } from "./domain/auth.service.ts";
import type { UserRecord } from "./domain/user.ts";
import type { AuthCookies } from "./http/auth-cookies.ts";
import type { UserRepository } from "./repositories/user.repository.ts";

/** The auth subgraph's per-request context: who is asking, loaders, and the services. */
export interface AuthContext extends BaseContext {
  auth: AuthService;
  authCookies: AuthCookies;
  loaders: { userById: DataLoader<string, UserRecord | null> };
  /** Users who signed in during this request (register, login, refresh). */
  signedIn: Set<string>;
}

/** Loaders are per request: caching across requests would leak one user's view to another. */
export function createLoaders(users: UserRepository): AuthContext["loaders"] {
  return {
    userById: new DataLoader(async (ids) => {
      const found = new Map((await users.findByIds(ids)).map((u) => [u.id, u]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
