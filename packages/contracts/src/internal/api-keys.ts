import { createHash } from "node:crypto";
import { z } from "zod";
import { uuid } from "../ids.ts";

/**
 * Partner API keys between their owner (the auth subgraph) and the gateway, which checks a key on
 * every partner request and enforces its quotas:
 *
 * - `POST /internal/api-keys/resolve` `{ keyHash }` → the key's partner, scopes, documents and quotas,
 *   `revoked` when an admin revoked it; 404 `{ code: "API_KEY_INVALID" }` when no key has that hash.
 * - `POST /internal/api-keys/usage` a batch of per-key, per-day operation counts → `{ applied }`.
 *   Each batch carries its own id and is applied once: the gateway re-sends a batch until it is
 *   acknowledged, and a batch seen before answers `{ applied: false }` and adds nothing. Counts of
 *   key ids auth does not know are dropped (a key deleted meanwhile is no reason to lose the rest).
 *
 * Both are POSTs so that a key's hash never lands in an access log's URL.
 */
export const API_KEY_RESOLVE_ROUTE = "/internal/api-keys/resolve";
export const API_KEY_USAGE_ROUTE = "/internal/api-keys/usage";

/** Every secret starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const API_KEY_SECRET_PREFIX = "urrk_";
/** `urrk_` and 32 random bytes in base64url (43 characters). */
export const API_KEY_SECRET_PATTERN = /^urrk_[A-Za-z0-9_-]{43}$/;
/** How much of a secret admins see to tell keys apart (the prefix and 7 random characters). */
export const API_KEY_PREFIX_LENGTH = 12;

/** Scopes a key may carry beyond running its documents, as stored and sent on the wire. */
export const API_KEY_SCOPES = { SCHEMA_READ: "schema:read" } as const;

/** Cheap shape check before any lookup: anything else is no key URR issued. */
export function looksLikeApiKeySecret(secret: string): boolean {
  return API_KEY_SECRET_PATTERN.test(secret);
}

/**
 * How a key is looked up. SHA-256, not a password hash: the secret is 256 random bits, so nobody can
 * guess it from its hash however fast the hash is, and a slow hash would cost scrypt's work on every
 * partner request. Both sides hash with this one function.
 */
export function apiKeyHash(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export const ApiKeyHash = z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in lower-case hex");

export const ApiKeyResolveRequest = z.object({ keyHash: ApiKeyHash });
export type ApiKeyResolveRequest = z.infer<typeof ApiKeyResolveRequest>;

/** Most operations a key may be allowed per minute (and so the smallest per-day cap). */
export const API_KEY_MAX_PER_MINUTE = 1_000_000;

export const ResolvedApiKey = z.object({
  id: uuid,
  partner: z.string().min(1),
  /** Wire strings (`schema:read`); a gateway ignores a scope it does not know yet. */
  scopes: z.array(z.string().min(1)),
  /** Operation names of the trusted-documents manifest this key may run. */
  documents: z.array(z.string().min(1)).min(1),
  perMinuteQuota: z.number().int().min(1).max(API_KEY_MAX_PER_MINUTE),
  perDayQuota: z.number().int().min(1),
  /** A revoked key is known (so its caller hears API_KEY_REVOKED) but runs nothing. */
  revoked: z.boolean(),
});
export type ResolvedApiKey = z.infer<typeof ResolvedApiKey>;

/** The 404 body of the resolve route: no key has that hash. */
export const ApiKeyUnknown = z.object({ code: z.literal("API_KEY_INVALID"), error: z.string() });
export type ApiKeyUnknown = z.infer<typeof ApiKeyUnknown>;

/** Most entries one usage batch may carry; a gateway with more sends several batches. */
export const USAGE_BATCH_MAX_ENTRIES = 10_000;

export const ApiKeyUsageEntry = z.object({
  keyId: uuid,
  /** The UTC calendar day the operations ran on. */
  day: z.iso.date(),
  operations: z.number().int().positive().max(2_147_483_647),
});
export type ApiKeyUsageEntry = z.infer<typeof ApiKeyUsageEntry>;

export const ApiKeyUsageBatch = z.object({
  /** Chosen by the sender once per batch and kept across its re-sends. */
  batchId: uuid,
  entries: z.array(ApiKeyUsageEntry).min(1).max(USAGE_BATCH_MAX_ENTRIES),
});
export type ApiKeyUsageBatch = z.infer<typeof ApiKeyUsageBatch>;

export const ApiKeyUsageApplied = z.object({
  /** False when this batch id was applied before: nothing was added this time. */
  applied: z.boolean(),
});
export type ApiKeyUsageApplied = z.infer<typeof ApiKeyUsageApplied>;
