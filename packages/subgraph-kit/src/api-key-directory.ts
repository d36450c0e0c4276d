import {
  API_KEY_RESOLVE_ROUTE,
  API_KEY_USAGE_ROUTE,
  ApiKeyHash,
  ApiKeyUnknown,
  ApiKeyUsageApplied,
  ApiKeyUsageBatch,
  ResolvedApiKey,
} from "@urr/contracts";
import { InternalApiClient, InternalApiError } from "./internal-api.ts";
import type { CircuitBreaker } from "./resilience.ts";

/**
 * The gateway's line to the auth subgraph, owner of partner API keys: what a presented key may do,
 * and the operations keys ran (counted by the gateway, summed per day by auth for admins). Both
 * calls are safe to repeat, so both get the internal API's timeout, retries and circuit breaker.
 */
export class ApiKeyDirectoryClient {
  private readonly api: InternalApiClient;

  constructor(options: {
    baseUrl: string;
    secret: string;
    /** The service token's issuer; `gateway` unless another service checks keys. */
    caller?: string;
    timeoutMs?: number;
    retries?: number;
    baseDelayMs?: number;
    breaker?: CircuitBreaker;
  }) {
    const { caller = "gateway", ...rest } = options;
    this.api = new InternalApiClient({ caller, service: "auth", ...rest });
  }

  /**
   * The key whose secret hashes to `keyHash` (see `apiKeyHash`), revoked ones included (flagged);
   * null when auth knows no such key. An auth without its internal API mounted is an error, never
   * "unknown key".
   */
  resolve(keyHash: string): Promise<ResolvedApiKey | null> {
    return this.api.post(API_KEY_RESOLVE_ROUTE, { keyHash: ApiKeyHash.parse(keyHash) }, ResolvedApiKey, {
      notFound: ApiKeyUnknown,
    });
  }

  /**
   * Adds a batch of counts. Re-send the same batch (same `batchId`) until this resolves: a batch
   * auth already applied answers `{ applied: false }` and adds nothing, so a lost answer never
   * counts twice. Throws for a malformed batch before sending anything.
   */
  async reportUsage(batch: ApiKeyUsageBatch): Promise<ApiKeyUsageApplied> {
    const answer = await this.api.post(
      API_KEY_USAGE_ROUTE,
      ApiKeyUsageBatch.parse(batch),
      ApiKeyUsageApplied,
    );
    if (!answer) throw new InternalApiError("INTERNAL_API_REFUSED", "auth", "has no usage route (404)");
    return answer;
  }
}
