import { ServiceUnavailableError } from "@urr/errors";

/**
 * Why the music catalog could not answer, as `extensions.reason` of a SERVICE_UNAVAILABLE. The
 * admin's client branches on these: part of the API, add new ones, never rename.
 */
export type MusicCatalogRefusalReason =
  /** MUSIC_CATALOG_CLIENT_ID / _SECRET are not set: import is switched off in this deployment. */
  | "MUSIC_CATALOG_NOT_CONFIGURED"
  /** The catalog asked us to slow down; `retryAfterSeconds` is what it said. */
  | "MUSIC_CATALOG_RATE_LIMITED"
  /** Unreachable, too slow, 5xx after retries, or failing so often that calls are paused. */
  | "MUSIC_CATALOG_UNAVAILABLE"
  /** The catalog refuses our client id and secret (or their token): an operator must fix them. */
  | "MUSIC_CATALOG_CREDENTIALS_REJECTED"
  /** The catalog answered something this adapter does not understand. */
  | "MUSIC_CATALOG_BAD_RESPONSE";

/** The music catalog's refusal as the admin sees it; the cause goes to the logs, not to them. */
export class MusicCatalogUnavailableError extends ServiceUnavailableError {
  constructor(
    readonly reason: MusicCatalogRefusalReason,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message, { reason, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
  }
}

export function notConfigured(): MusicCatalogUnavailableError {
  return new MusicCatalogUnavailableError(
    "MUSIC_CATALOG_NOT_CONFIGURED",
    "Artist import is not configured on this server (MUSIC_CATALOG_CLIENT_ID and MUSIC_CATALOG_CLIENT_SECRET)",
  );
}
