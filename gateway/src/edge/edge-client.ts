import type { Viewer } from "@urr/auth-tokens";

/**
 * How strictly a client is held to the registered documents:
 * - `off`: any operation runs;
 * - `audit`: any operation runs, and each unregistered one is logged with its hash and client;
 * - `enforce`: only registered operations (by id, or by their exact text); APQ is off.
 */
export type DocumentsMode = "off" | "audit" | "enforce";

/** A partner's API key as the gateway knows it once verified (the record lives in auth). */
export interface PartnerKey {
  readonly id: string;
  readonly partner: string;
  readonly scopes: readonly string[];
  /** Names of the registered operations this key may run. */
  readonly documents: ReadonlySet<string>;
  readonly perMinuteQuota: number;
  readonly perDayQuota: number;
}

/** Who is at the door: the first-party web app (any browser or script) or a partner with a key. */
export interface EdgeClient {
  readonly kind: "first-party" | "partner";
  /** For logs and metrics: the partner's name, or the `apollographql-client-name` a client gave. */
  readonly name: string;
  readonly viewer: Viewer;
  readonly partnerKey: PartnerKey | undefined;
  /** The caller's address, forwarded addresses trusted only from configured proxies. */
  readonly address: string;
}

/** The scope that lets a partner key read the schema (introspection, field suggestions). */
export const SCHEMA_READ_SCOPE = "schema:read";

/** Whether this client may see the schema: introspection results and "Did you mean" suggestions. */
export function maySeeSchema(client: EdgeClient, openToAll: boolean): boolean {
  if (openToAll) return true;
  if (client.viewer.authenticated && client.viewer.role === "ADMIN") return true;
  return client.partnerKey?.scopes.includes(SCHEMA_READ_SCOPE) ?? false;
}
