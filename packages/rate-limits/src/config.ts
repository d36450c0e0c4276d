import type { BlockList } from "node:net";
import { env } from "@urr/config";
import { z } from "zod";
import { DEFAULT_LIMITS_PER_MINUTE, type LimitsPerMinute, type RateLimitCategory } from "./categories.ts";
import { parseCidr, trustedProxyList } from "./client-address.ts";
import { DEFAULT_MAX_SUBJECTS } from "./memory-rate-limiter.ts";
import { DEFAULT_STORE_DOWN_POLICIES, STORE_DOWN_POLICIES, type StoreDownPolicy } from "./outage-policy.ts";
import { DEFAULT_COMMAND_TIMEOUT_MS } from "./redis-client.ts";

const policy = (fallback: StoreDownPolicy) => z.enum(STORE_DOWN_POLICIES).default(fallback);

/** `10.0.0.0/8, ::1` → the entries, each checked to be an address or a CIDR range. */
const cidrList = () =>
  env.list().superRefine((entries, context) => {
    for (const entry of entries)
      if (!parseCidr(entry))
        context.addIssue({ code: "custom", message: `"${entry}" is not an IP address or CIDR range` });
  });

/**
 * The rate limits' environment variables, for the gateway's config schema to spread in. Documented
 * in this package's README and in the README of every service that reads them.
 */
export function rateLimitsConfigFields() {
  return {
    RATE_LIMIT_AUTH_PER_MINUTE: env.int(DEFAULT_LIMITS_PER_MINUTE.AUTH, 1),
    RATE_LIMIT_QUEUE_PER_MINUTE: env.int(DEFAULT_LIMITS_PER_MINUTE.QUEUE, 1),
    RATE_LIMIT_BOOKING_PER_MINUTE: env.int(DEFAULT_LIMITS_PER_MINUTE.BOOKING, 1),
    RATE_LIMIT_COMMUNITY_PER_MINUTE: env.int(DEFAULT_LIMITS_PER_MINUTE.COMMUNITY, 1),
    RATE_LIMIT_GENERAL_PER_MINUTE: env.int(DEFAULT_LIMITS_PER_MINUTE.GENERAL, 1),
    RATE_LIMIT_AUTH_WHEN_STORE_DOWN: policy(DEFAULT_STORE_DOWN_POLICIES.AUTH),
    RATE_LIMIT_QUEUE_WHEN_STORE_DOWN: policy(DEFAULT_STORE_DOWN_POLICIES.QUEUE),
    RATE_LIMIT_BOOKING_WHEN_STORE_DOWN: policy(DEFAULT_STORE_DOWN_POLICIES.BOOKING),
    RATE_LIMIT_COMMUNITY_WHEN_STORE_DOWN: policy(DEFAULT_STORE_DOWN_POLICIES.COMMUNITY),
    RATE_LIMIT_GENERAL_WHEN_STORE_DOWN: policy(DEFAULT_STORE_DOWN_POLICIES.GENERAL),
    API_KEY_QUOTA_WHEN_STORE_DOWN: policy("local"),
    /** A Redis command slower than this counts as the store being down. */
    RATE_LIMIT_STORE_TIMEOUT_MS: env.int(DEFAULT_COMMAND_TIMEOUT_MS, 10),
    /** Subjects the in-process limiter keeps (embedded mode, `local` policy). */
    RATE_LIMIT_LOCAL_MAX_SUBJECTS: env.int(DEFAULT_MAX_SUBJECTS, 100),
    /** Proxies whose X-Forwarded-For entries are believed, as addresses or CIDR ranges. */
    TRUSTED_PROXIES: cidrList(),
  };
}

type Fields = ReturnType<typeof rateLimitsConfigFields>;
export type RateLimitsConfig = { readonly [K in keyof Fields]: z.infer<Fields[K]> };

/** What a parsed config sets, in the shapes the limiter, the policies and clientAddress take. */
export interface RateLimitSettings {
  readonly limits: LimitsPerMinute;
  readonly policies: Readonly<Record<RateLimitCategory, StoreDownPolicy>>;
  readonly quotaPolicy: StoreDownPolicy;
  readonly storeTimeoutMs: number;
  readonly localMaxSubjects: number;
  readonly trustedProxies: BlockList;
}

export function rateLimitsFromConfig(config: RateLimitsConfig): RateLimitSettings {
  return {
    limits: {
      AUTH: config.RATE_LIMIT_AUTH_PER_MINUTE,
      QUEUE: config.RATE_LIMIT_QUEUE_PER_MINUTE,
      BOOKING: config.RATE_LIMIT_BOOKING_PER_MINUTE,
      COMMUNITY: config.RATE_LIMIT_COMMUNITY_PER_MINUTE,
      GENERAL: config.RATE_LIMIT_GENERAL_PER_MINUTE,
    },
    policies: {
      AUTH: config.RATE_LIMIT_AUTH_WHEN_STORE_DOWN,
      QUEUE: config.RATE_LIMIT_QUEUE_WHEN_STORE_DOWN,
      BOOKING: config.RATE_LIMIT_BOOKING_WHEN_STORE_DOWN,
      COMMUNITY: config.RATE_LIMIT_COMMUNITY_WHEN_STORE_DOWN,
      GENERAL: config.RATE_LIMIT_GENERAL_WHEN_STORE_DOWN,
    },
    quotaPolicy: config.API_KEY_QUOTA_WHEN_STORE_DOWN,
    storeTimeoutMs: config.RATE_LIMIT_STORE_TIMEOUT_MS,
    localMaxSubjects: config.RATE_LIMIT_LOCAL_MAX_SUBJECTS,
    trustedProxies: trustedProxyList(config.TRUSTED_PROXIES),
  };
}
