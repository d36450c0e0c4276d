import { errorDetail, exchange, type Refusal, retryAfterMs } from "./catalog-http.ts";
import { tokenAnswer } from "./spotify-api.ts";

export type TokenResult = { kind: "token"; token: string } | { kind: "refused"; refusal: Refusal };

/** Refresh this long before expiry, so a token never expires between our check and the catalog's. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * An app's access token by the OAuth client-credentials grant (RFC 6749 §4.4), as Spotify's accounts
 * service issues it: cached until shortly before it expires, fetched once however many requests
 * need it at the same moment, and dropped when the API refuses it early.
 */
export class ClientCredentials {
  private cached: { token: string; refreshAt: number } | undefined;
  private pending: Promise<TokenResult> | undefined;

  constructor(
    private readonly options: {
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      timeoutMs: number;
      clock: () => number;
    },
  ) {}

  /** Throws TransientFailure when the token endpoint may answer on another try. */
  token(): Promise<TokenResult> {
    if (this.cached && this.options.clock() < this.cached.refreshAt) {
      return Promise.resolve({ kind: "token", token: this.cached.token });
    }
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** The API answered 401 to `token`: forget it (unless a newer one replaced it meanwhile). */
  forget(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async request(): Promise<TokenResult> {
    const { clientId, clientSecret } = this.options;
    const response = await exchange(
      new URL(this.options.tokenUrl),
      {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ grant_type: "client_credentials" }).toString(),
      },
      this.options.timeoutMs,
    );
    const detail = `token endpoint: ${errorDetail(response)}`;
    if (response.status === 429) {
      const wait = retryAfterMs(response.retryAfter, this.options.clock());
      return {
        kind: "refused",
        refusal: { reason: "MUSIC_CATALOG_RATE_LIMITED", retryAfterMs: wait, detail },
      };
    }
    // invalid_client (400 or 401), or a client the catalog blocked (403).
    if ([400, 401, 403].includes(response.status)) {
      return { kind: "refused", refusal: { reason: "MUSIC_CATALOG_CREDENTIALS_REJECTED", detail } };
    }
    const parsed = tokenAnswer.safeParse(response.body);
    if (response.status !== 200 || !parsed.success) {
      return { kind: "refused", refusal: { reason: "MUSIC_CATALOG_BAD_RESPONSE", detail } };
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
    this.cached = { token: parsed.data.access_token, refreshAt: this.options.clock() + lifetimeMs - margin };
    return { kind: "token", token: parsed.data.access_token };
  }
}
