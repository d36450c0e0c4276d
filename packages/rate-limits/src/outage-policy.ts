import { DomainError } from "@urr/errors";
import type { Logger } from "@urr/logger";
import { type LimitsPerMinute, RATE_LIMIT_CATEGORIES, type RateLimitCategory } from "./categories.ts";
import type { RateLimitDecision, RateLimiter } from "./decision.ts";
import { RateLimiterUnavailableError } from "./errors.ts";
import type { ApiKeyQuotas, Quota, QuotaDecision, QuotaUsage } from "./quotas.ts";
import { WINDOW_SECONDS } from "./sliding-window.ts";

/**
 * What a category does while the shared store does not answer:
 * - `closed`: refuse with SERVICE_UNAVAILABLE (`reason: RATE_LIMITER_UNAVAILABLE`), retryable;
 * - `local`: count in this replica only (each replica allows the full limit);
 * - `open`: allow without counting, and count that it happened.
 */
export const STORE_DOWN_POLICIES = ["closed", "local", "open"] as const;
export type StoreDownPolicy = (typeof STORE_DOWN_POLICIES)[number];

/** Why each default is what it is: packages/rate-limits/README.md. */
export const DEFAULT_STORE_DOWN_POLICIES: Readonly<Record<RateLimitCategory, StoreDownPolicy>> = {
  AUTH: "local",
  QUEUE: "closed",
  BOOKING: "closed",
  COMMUNITY: "local",
  GENERAL: "open",
};

/** Calls answered by an outage policy since start, per category ("QUOTA" for API keys). */
export type StoreDownCounts = Record<RateLimitCategory | "QUOTA", Record<StoreDownPolicy, number>>;

const LOG_EVERY_MS = 10_000;

/** Counts outage answers and logs them at most once per 10 s per category, not once per call. */
class OutageRecorder {
  readonly counts = Object.fromEntries(
    [...RATE_LIMIT_CATEGORIES, "QUOTA"].map((c) => [c, { closed: 0, local: 0, open: 0 }]),
  ) as StoreDownCounts;
  private readonly lastLogged = new Map<string, { at: number; counted: number }>();

  constructor(private readonly logger: Logger | undefined) {}

  record(category: RateLimitCategory | "QUOTA", policy: StoreDownPolicy, error: unknown): void {
    this.counts[category][policy] += 1;
    const now = Date.now();
    const total = this.counts[category][policy];
    const last = this.lastLogged.get(`${category}:${policy}`);
    if (last && now - last.at < LOG_EVERY_MS) return;
    this.lastLogged.set(`${category}:${policy}`, { at: now, counted: total });
    this.logger?.warn(
      { err: error, category, policy, sinceLastLog: total - (last?.counted ?? 0) },
      `rate limits: store unavailable, ${category} answered by its "${policy}" policy`,
    );
  }
}

function unchecked(category: RateLimitCategory, limit: number): RateLimitDecision {
  return {
    allowed: true,
    category,
    limit,
    remaining: limit,
    resetSeconds: WINDOW_SECONDS,
    retryAfterSeconds: 0,
    windowSeconds: WINDOW_SECONDS,
    source: "unchecked",
  };
}

export interface PolicyRateLimiterOptions {
  /** The shared limiter (Redis). */
  store: RateLimiter;
  /** This replica's limiter, for the `local` policy. */
  local: RateLimiter;
  limits: LimitsPerMinute;
  policies?: Readonly<Record<RateLimitCategory, StoreDownPolicy>>;
  logger?: Logger;
}

/** The shared limiter, with each category's policy applied when the store fails. */
export class PolicyRateLimiter implements RateLimiter {
  private readonly recorder: OutageRecorder;
  private readonly policies: Readonly<Record<RateLimitCategory, StoreDownPolicy>>;

  constructor(private readonly options: PolicyRateLimiterOptions) {
    this.recorder = new OutageRecorder(options.logger);
    this.policies = options.policies ?? DEFAULT_STORE_DOWN_POLICIES;
  }

  /** Calls answered by an outage policy since start (a metric's source). */
  get storeDownCounts(): StoreDownCounts {
    return this.recorder.counts;
  }

  async take(subject: string, category: RateLimitCategory): Promise<RateLimitDecision> {
    try {
      return await this.options.store.take(subject, category);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      const policy = this.policies[category];
      this.recorder.record(category, policy, error);
      if (policy === "closed") throw new RateLimiterUnavailableError(category);
      if (policy === "local") return this.options.local.take(subject, category);
      return unchecked(category, this.options.limits[category]);
    }
  }
}

export interface PolicyQuotasOptions {
  store: ApiKeyQuotas;
  local: ApiKeyQuotas;
  policy?: StoreDownPolicy;
  logger?: Logger;
}

/** API-key quotas with one outage policy (default `local`: partners keep working, capped per replica). */
export class PolicyQuotas implements ApiKeyQuotas {
  private readonly recorder: OutageRecorder;
  private readonly policy: StoreDownPolicy;

  constructor(private readonly options: PolicyQuotasOptions) {
    this.recorder = new OutageRecorder(options.logger);
    this.policy = options.policy ?? "local";
  }

  get storeDownCounts(): StoreDownCounts {
    return this.recorder.counts;
  }

  async consumeQuota(keyId: string, quota: Quota): Promise<QuotaDecision> {
    try {
      return await this.options.store.consumeQuota(keyId, quota);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      this.recorder.record("QUOTA", this.policy, error);
      if (this.policy === "closed") throw new RateLimiterUnavailableError();
      if (this.policy === "local") return this.options.local.consumeQuota(keyId, quota);
      const window = (limit: number) => ({ limit, used: 0, remaining: limit, resetSeconds: 60 });
      return {
        allowed: true,
        retryAfterSeconds: 0,
        minute: window(quota.perMinute),
        day: window(quota.perDay),
        source: "unchecked",
      };
    }
  }

  /** Usage is read from the store only: a replica's local counts are not the key's usage. */
  usage(keyId: string): Promise<QuotaUsage> {
    return this.options.store.usage(keyId);
  }
}
