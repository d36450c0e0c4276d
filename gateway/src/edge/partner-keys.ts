import { apiKeyHash, looksLikeApiKeySecret, type ResolvedApiKey } from "@urr/contracts";
import { ErrorCode } from "@urr/errors";
import type { Logger } from "@urr/logger";
import type { PartnerKey } from "./edge-client.ts";
import type { PartnerKeys } from "./identify.ts";
import { EdgeRefusal } from "./refusal.ts";

/** Where keys are looked up: the auth subgraph's internal API (ApiKeyDirectoryClient). */
export interface KeyDirectory {
  resolve(keyHash: string): Promise<ResolvedApiKey | null>;
}

export interface CachedPartnerKeysOptions {
  readonly directory: KeyDirectory;
  /** How long an answer (a key, or "no such key") is reused: a revocation takes effect within it. */
  readonly cacheSeconds: number;
  readonly maxEntries?: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

type Answer = PartnerKey | "unknown" | "revoked";

/**
 * Verifies partner API keys against their owner, auth, with a short cache: a partner sending
 * thousands of requests a minute costs auth one lookup per key every few seconds, and concurrent
 * first requests share one lookup. Only the hash of a secret leaves the gateway.
 */
export class CachedPartnerKeys implements PartnerKeys {
  private readonly answers = new Map<string, { answer: Answer; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<Answer>>();
  private readonly now: () => number;

  constructor(private readonly options: CachedPartnerKeysOptions) {
    this.now = options.now ?? Date.now;
  }

  async verify(secret: string): Promise<PartnerKey | EdgeRefusal> {
    if (!looksLikeApiKeySecret(secret)) return invalid();
    const hash = apiKeyHash(secret);
    let answer: Answer;
    try {
      answer = await this.lookup(hash);
    } catch (error) {
      this.options.logger.warn({ err: error }, "partner key lookup failed");
      return EdgeRefusal.coded(
        503,
        ErrorCode.ServiceUnavailable,
        "API keys cannot be checked right now, retry shortly",
        {
          reason: "API_KEYS_UNAVAILABLE",
          retryAfterSeconds: 2,
        },
        { "retry-after": "2" },
      );
    }
    if (answer === "unknown") return invalid();
    if (answer === "revoked")
      return EdgeRefusal.coded(401, ErrorCode.ApiKeyRevoked, "This API key was revoked");
    return answer;
  }

  private lookup(hash: string): Promise<Answer> {
    const cached = this.answers.get(hash);
    if (cached && cached.expiresAt > this.now()) return Promise.resolve(cached.answer);
    const pending = this.inFlight.get(hash);
    if (pending) return pending;
    const fetching = this.fetch(hash).finally(() => this.inFlight.delete(hash));
    this.inFlight.set(hash, fetching);
    return fetching;
  }

  private async fetch(hash: string): Promise<Answer> {
    const resolved = await this.options.directory.resolve(hash);
    const answer: Answer = !resolved
      ? "unknown"
      : resolved.revoked
        ? "revoked"
        : {
            id: resolved.id,
            partner: resolved.partner,
            scopes: resolved.scopes,
            documents: new Set(resolved.documents),
            perMinuteQuota: resolved.perMinuteQuota,
            perDayQuota: resolved.perDayQuota,
          };
    // Oldest first out: a Map iterates in insertion order.
    if (this.answers.size >= (this.options.maxEntries ?? 10_000)) {
      const oldest = this.answers.keys().next().value;
      if (oldest !== undefined) this.answers.delete(oldest);
    }
    this.answers.delete(hash);
    this.answers.set(hash, { answer, expiresAt: this.now() + this.options.cacheSeconds * 1000 });
    return answer;
  }
}

function invalid(): EdgeRefusal {
  return EdgeRefusal.coded(401, ErrorCode.ApiKeyInvalid, "This API key is not valid");
}
