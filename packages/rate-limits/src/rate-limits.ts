import type { Logger } from "@urr/logger";
import type { DocumentNode } from "graphql";
import type Redis from "ioredis";
import type { RateLimitCategory } from "./categories.ts";
import { clientAddress, subjectFor } from "./client-address.ts";
import type { RateLimitSettings } from "./config.ts";
import type { RateLimitDecision, RateLimiter } from "./decision.ts";
import { RateLimitedError } from "./errors.ts";
import { MemoryQuotas } from "./memory-quotas.ts";
import { MemoryRateLimiter } from "./memory-rate-limiter.ts";
import { PolicyQuotas, PolicyRateLimiter } from "./outage-policy.ts";
import type { ApiKeyQuotas, Quota, QuotaDecision } from "./quotas.ts";
import { RedisQuotas } from "./redis-quotas.ts";
import { RedisRateLimiter } from "./redis-rate-limiter.ts";
import {
  type CategoryLookup,
  categoriesFromSupergraph,
  categoryOfOperation,
} from "./supergraph-categories.ts";

export interface RateLimitsOptions {
  settings: RateLimitSettings;
  /** The composed supergraph the gateway serves: its `@rateLimit` directives map root fields. */
  supergraphSdl: string;
  /** Services mode: the shared store (see createRateLimitRedis). Absent: in-process (embedded mode). */
  redis?: Redis;
  logger?: Logger;
  /** Key prefix for the limiter's and the quotas' keys (default `urr:rl:` / `urr:quota:`). */
  keyPrefix?: string;
  clock?: () => number;
}

/** Who is calling, as a transport sees it. */
export interface Caller {
  readonly userId?: string | null;
  readonly socketAddress?: string;
  readonly forwardedFor?: string | readonly string[];
}

/** Everything the gateway needs per request, from one constructor. */
export class RateLimits {
  readonly categories: CategoryLookup;
  readonly limiter: RateLimiter;
  readonly quotas: ApiKeyQuotas;

  constructor(private readonly options: RateLimitsOptions) {
    const { settings, redis, logger, keyPrefix, clock } = options;
    this.categories = categoriesFromSupergraph(options.supergraphSdl);
    const local = new MemoryRateLimiter({
      limits: settings.limits,
      maxSubjects: settings.localMaxSubjects,
      ...(clock ? { clock } : {}),
    });
    const localQuotas = new MemoryQuotas(clock ? { clock } : {});
    if (!redis) {
      this.limiter = local;
      this.quotas = localQuotas;
      return;
    }
    const shared = (suffix: string) => ({
      ...(keyPrefix ? { keyPrefix: `${keyPrefix}${suffix}` } : {}),
      ...(clock ? { clock } : {}),
    });
    this.limiter = new PolicyRateLimiter({
      store: new RedisRateLimiter(redis, { limits: settings.limits, ...shared("rl:") }),
      local,
      limits: settings.limits,
      policies: settings.policies,
      ...(logger ? { logger } : {}),
    });
    this.quotas = new PolicyQuotas({
      store: new RedisQuotas(redis, shared("quota:")),
      local: localQuotas,
      policy: settings.quotaPolicy,
      ...(logger ? { logger } : {}),
    });
  }

  /** The subject a caller counts as: the user when signed in, else the client address. */
  subjectOf(caller: Caller): string {
    const address = clientAddress(
      caller.socketAddress,
      caller.forwardedFor,
      this.options.settings.trustedProxies,
    );
    return subjectFor({ userId: caller.userId ?? null, clientAddress: address });
  }

  categoryOf(document: DocumentNode, operationName?: string | null): RateLimitCategory {
    return categoryOfOperation(document, operationName, this.categories, this.options.settings.limits);
  }

  /**
   * Counts one operation for the caller against its category. Resolves with the decision (for the
   * RateLimit-* headers) when allowed; throws RateLimitedError (429) when over the limit, or
   * RateLimiterUnavailableError (503) when the store is down and the category fails closed.
   */
  async admit(request: {
    document: DocumentNode;
    operationName?: string | null;
    caller: Caller;
  }): Promise<RateLimitDecision> {
    const category = this.categoryOf(request.document, request.operationName);
    const decision = await this.limiter.take(this.subjectOf(request.caller), category);
    if (!decision.allowed) throw new RateLimitedError(decision);
    return decision;
  }

  /** Counts one call of an API key; throws RateLimitedError (`quota: minute | day`) when spent. */
  async admitApiKey(keyId: string, quota: Quota): Promise<QuotaDecision> {
    const decision = await this.quotas.consumeQuota(keyId, quota);
    if (!decision.allowed) throw new RateLimitedError(decision);
    return decision;
  }
}

export function createRateLimits(options: RateLimitsOptions): RateLimits {
  return new RateLimits(options);
}
