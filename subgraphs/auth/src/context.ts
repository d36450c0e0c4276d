import type { BaseContext } from "@urr/subgraph-kit";
import DataLoader from "dataloader";
import type { ApiKeyService } from "./domain/api-key.service.ts";
import type { ApiKeyUsageDay } from "./domain/api-key.ts";
import type { AuthService } from "./domain/auth.service.ts";
import type { UserRecord } from "./domain/user.ts";
import type { AuthCookies } from "./http/auth-cookies.ts";
import type { UserRepository } from "./repositories/user.repository.ts";

/** One key's usage over the last `days` days. */
export interface UsageRequest {
  keyId: string;
  days: number;
}

/** The auth subgraph's per-request context: who is asking, loaders, and the services. */
export interface AuthContext extends BaseContext {
  auth: AuthService;
  apiKeys: ApiKeyService;
  authCookies: AuthCookies;
  loaders: {
    userById: DataLoader<string, UserRecord | null>;
    /** A page of keys asks for their usage in one query per distinct `days`. */
    apiKeyUsage: DataLoader<UsageRequest, ApiKeyUsageDay[], string>;
  };
  /** Users who signed in during this request (register, login, refresh). */
  signedIn: Set<string>;
}

/** Loaders are per request: caching across requests would leak one user's view to another. */
export function createLoaders(users: UserRepository, apiKeys: ApiKeyService): AuthContext["loaders"] {
  return {
    userById: new DataLoader(async (ids) => {
      const found = new Map((await users.findByIds(ids)).map((u) => [u.id, u]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    apiKeyUsage: new DataLoader(
      async (requests) => {
        const answers = new Map<string, ApiKeyUsageDay[]>();
        for (const days of new Set(requests.map((r) => r.days))) {
          const keyIds = requests.filter((r) => r.days === days).map((r) => r.keyId);
          const usage = await apiKeys.dailyUsage(keyIds, days);
          for (const [i, keyId] of keyIds.entries()) answers.set(`${days}|${keyId}`, usage[i] ?? []);
        }
        return requests.map((r) => answers.get(`${r.days}|${r.keyId}`) ?? []);
      },
      { cacheKeyFn: (r) => `${r.days}|${r.keyId}` },
    ),
  };
}
