export {
  DEFAULT_LIMITS_PER_MINUTE,
  isRateLimitCategory,
  type LimitsPerMinute,
  RATE_LIMIT_CATEGORIES,
  type RateLimitCategory,
  strictest,
} from "./categories.ts";
export {
  type AddressFamily,
  clientAddress,
  parseAddress,
  parseCidr,
  subjectFor,
  trustedProxyList,
} from "./client-address.ts";
export {
  type RateLimitSettings,
  type RateLimitsConfig,
  rateLimitsConfigFields,
  rateLimitsFromConfig,
} from "./config.ts";
export type { DecisionSource, RateLimitDecision, RateLimiter } from "./decision.ts";
export { RateLimitedError, RateLimiterUnavailableError, STORE_DOWN_RETRY_AFTER_SECONDS } from "./errors.ts";
export { type Headers, headerMap, quotaHeaders, rateLimitHeaders } from "./headers.ts";
export { MemoryQuotas, type MemoryQuotasOptions } from "./memory-quotas.ts";
export {
  DEFAULT_MAX_SUBJECTS,
  MemoryRateLimiter,
  type MemoryRateLimiterOptions,
} from "./memory-rate-limiter.ts";
export {
  DEFAULT_STORE_DOWN_POLICIES,
  PolicyQuotas,
  type PolicyQuotasOptions,
  PolicyRateLimiter,
  type PolicyRateLimiterOptions,
  STORE_DOWN_POLICIES,
  type StoreDownCounts,
  type StoreDownPolicy,
} from "./outage-policy.ts";
export type {
  ApiKeyQuotas,
  Quota,
  QuotaDecision,
  QuotaUsage,
  QuotaWindow,
  QuotaWindowState,
} from "./quotas.ts";
export { type Caller, createRateLimits, RateLimits, type RateLimitsOptions } from "./rate-limits.ts";
export {
  createRateLimitRedis,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type RateLimitRedisOptions,
  whenRedisReady,
} from "./redis-client.ts";
export { RedisQuotas, type RedisQuotasOptions } from "./redis-quotas.ts";
export { RedisRateLimiter, type RedisRateLimiterOptions } from "./redis-rate-limiter.ts";
export { SLOT_MS, WINDOW_SECONDS, WINDOW_SLOTS } from "./sliding-window.ts";
export {
  type CategoryLookup,
  categoriesFromSupergraph,
  categoryOfOperation,
  RATE_LIMIT_SPEC_URL,
} from "./supergraph-categories.ts";
