import { randomBytes } from "node:crypto";
import { API_KEY_PREFIX_LENGTH, API_KEY_SCOPES, API_KEY_SECRET_PREFIX, apiKeyHash } from "@urr/contracts";

/** A partner API key as the domain sees it: everything but the secret, which is never stored. */
export interface ApiKeyRecord {
  id: string;
  partner: string;
  label: string | null;
  keyPrefix: string;
  /** Wire strings (`schema:read`). */
  scopes: string[];
  documents: string[];
  perMinuteQuota: number;
  perDayQuota: number;
  createdById: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedById: string | null;
}

/** What `createApiKey` answers: the key, and its secret this one time. */
export interface IssuedApiKey {
  apiKey: ApiKeyRecord;
  secret: string;
}

/** Operations one key ran on one UTC day (`YYYY-MM-DD`). */
export interface ApiKeyUsageDay {
  day: string;
  operations: number;
}

export type ApiKeyScopeName = keyof typeof API_KEY_SCOPES;

/** The GraphQL enum value of a stored scope; null for one this version does not know. */
export function scopeName(scope: string): ApiKeyScopeName | null {
  const entry = Object.entries(API_KEY_SCOPES).find(([, wire]) => wire === scope);
  return entry ? (entry[0] as ApiKeyScopeName) : null;
}

/**
 * A new secret: `urrk_` and 32 random bytes in base64url. Only its SHA-256 is stored (see
 * `apiKeyHash`: a fast hash is right for 256 random bits, which no one can guess from the hash,
 * and the gateway looks the key up by it on every request), with its first characters to tell
 * keys apart.
 */
export function newApiKeySecret(): { secret: string; keyHash: string; keyPrefix: string } {
  const secret = `${API_KEY_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, keyHash: apiKeyHash(secret), keyPrefix: secret.slice(0, API_KEY_PREFIX_LENGTH) };
}
