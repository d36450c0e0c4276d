import { quotaHeaders, type RateLimits, rateLimitHeaders } from "@urr/rate-limits";
import { GraphQLError } from "graphql";
import { countRateLimitRefusal } from "../telemetry/rate-limit-metrics.ts";
import type { AdmissionCheck, ParsedOperation } from "./edge.ts";
import type { EdgeClient } from "./edge-client.ts";
import { EdgeRefusal } from "./refusal.ts";
import type { UsageMeter } from "./usage-meter.ts";

/**
 * The per-category limits (AUTH, QUEUE, BOOKING, GENERAL a minute; the category from the
 * operation's root fields' `@rateLimit`), per signed-in user, else per client address. Partners
 * are held to their key's quotas instead (PartnerQuotaCheck): their traffic is many people's.
 */
export class CategoryRateLimitCheck implements AdmissionCheck {
  constructor(private readonly limits: RateLimits) {}

  async check(operation: ParsedOperation, client: EdgeClient) {
    if (client.partnerKey) return undefined;
    const caller = {
      userId: client.viewer.authenticated ? client.viewer.userId : null,
      // Already resolved through the trusted proxies when the client was identified.
      socketAddress: client.address,
    };
    return refusedOr(async () =>
      rateLimitHeaders(
        await this.limits.admit({
          document: operation.document,
          operationName: operation.operationName,
          caller,
        }),
      ),
    );
  }
}

/** A partner key's per-minute and per-day quotas; each admitted operation is counted for usage. */
export class PartnerQuotaCheck implements AdmissionCheck {
  constructor(
    private readonly limits: RateLimits,
    private readonly usage: UsageMeter | undefined,
  ) {}

  async check(_operation: ParsedOperation, client: EdgeClient) {
    const key = client.partnerKey;
    if (!key) return undefined;
    return refusedOr(async () => {
      const decision = await this.limits.admitApiKey(key.id, {
        perMinute: key.perMinuteQuota,
        perDay: key.perDayQuota,
      });
      this.usage?.count(key.id);
      return quotaHeaders(decision);
    });
  }
}

/** RATE_LIMITED (429) and RATE_LIMITER_UNAVAILABLE (503) arrive as thrown coded errors. */
async function refusedOr(
  admit: () => Promise<Record<string, string>>,
): Promise<EdgeRefusal | Record<string, string>> {
  try {
    return await admit();
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.http) {
      countRateLimitRefusal(error);
      return EdgeRefusal.fromError(error);
    }
    throw error;
  }
}
