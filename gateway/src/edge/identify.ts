import type { Viewer } from "@urr/auth-tokens";
import { DomainError, ErrorCode } from "@urr/errors";
import type { EdgeClient, PartnerKey } from "./edge-client.ts";
import { EdgeRefusal } from "./refusal.ts";

/** The header a partner sends its API key in. */
export const API_KEY_HEADER = "x-api-key";

/** Turns a presented API key secret into the key it belongs to, or the coded refusal it earns. */
export interface PartnerKeys {
  verify(secret: string): Promise<PartnerKey | EdgeRefusal>;
}

/** What any transport knows about its caller before the edge identifies it. */
export interface Credentials {
  /** Verifies the caller's bearer token or access cookie (throws a DomainError when it must fail). */
  readonly viewer: () => Promise<Viewer>;
  readonly apiKey: string | undefined;
  /** A client's self-description (`apollographql-client-name`), for logs only. */
  readonly clientName: string | undefined;
  readonly address: string;
}

/**
 * Who is at the door. A bad bearer token is refused (401) like a bad API key; a partner key holder
 * is a partner client whatever else it sends.
 */
export async function identifyClient(
  credentials: Credentials,
  partnerKeys: PartnerKeys | undefined,
): Promise<EdgeClient | EdgeRefusal> {
  let viewer: Viewer;
  try {
    viewer = await credentials.viewer();
  } catch (error) {
    if (error instanceof DomainError) {
      return EdgeRefusal.coded(
        401,
        error.extensions.code as string,
        error.message,
        withoutCode(error.extensions),
      );
    }
    throw error;
  }
  if (credentials.apiKey === undefined) {
    const name =
      credentials.clientName && /^[\w.-]{1,64}$/.test(credentials.clientName)
        ? credentials.clientName
        : "web";
    return { kind: "first-party", name, viewer, partnerKey: undefined, address: credentials.address };
  }
  const key = partnerKeys
    ? await partnerKeys.verify(credentials.apiKey)
    : EdgeRefusal.coded(401, ErrorCode.ApiKeyInvalid, "API keys are not accepted by this gateway");
  if (key instanceof EdgeRefusal) return key;
  return { kind: "partner", name: key.partner, viewer, partnerKey: key, address: credentials.address };
}

function withoutCode(extensions: Record<string, unknown>): Record<string, unknown> {
  const { code: _code, http: _http, ...rest } = extensions;
  return rest;
}
