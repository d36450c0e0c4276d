/**
 * One HTTP exchange with the music catalog, classified the way its callers decide: a failure that
 * may pass (unreachable, too slow, 5xx) is thrown as TransientFailure and retried with backoff;
 * every other answer comes back for the caller to read.
 */

/** Worth another try: the network, a timeout, or a 5xx. */
export class TransientFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransientFailure";
  }
}

/** An answer that retrying at once will not change. */
export type Refusal =
  | { reason: "MUSIC_CATALOG_RATE_LIMITED"; retryAfterMs: number; detail: string }
  | { reason: "MUSIC_CATALOG_CREDENTIALS_REJECTED" | "MUSIC_CATALOG_BAD_RESPONSE"; detail: string };

export interface CatalogResponse {
  status: number;
  /** Parsed JSON; undefined when the body was empty or not JSON. */
  body: unknown;
  /** The Retry-After header, as sent. */
  retryAfter: string | null;
}

export async function exchange(url: URL, init: RequestInit, timeoutMs: number): Promise<CatalogResponse> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal });
    // The deadline covers the body too: a catalog that stalls mid-answer is as slow as one that never answers.
    const text = await response.text();
    if (response.status >= 500) throw new TransientFailure(`${url.pathname} answered ${response.status}`);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, body, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    if (error instanceof TransientFailure) throw error;
    if (signal.aborted) throw new TransientFailure(`${url.pathname} gave no answer within ${timeoutMs} ms`);
    throw new TransientFailure(
      `${url.pathname} unreachable: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** What to wait when a 429 names no usable Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;
/** A catalog asking for longer than this is answered as if it asked for this (the admin retries later). */
const MAX_RETRY_AFTER_MS = 3_600_000;

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from `now`. */
export function retryAfterMs(header: string | null, now: number): number {
  const value = header?.trim() ?? "";
  let ms = Number.NaN;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else if (value) ms = Date.parse(value) - now;
  if (!Number.isFinite(ms)) return DEFAULT_RETRY_AFTER_MS;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** The `error` (or `error.message`) a catalog's refusal carries, for the logs. */
export function errorDetail(response: CatalogResponse): string {
  const body = response.body as { error?: unknown; error_description?: unknown } | undefined;
  const error = body?.error;
  const text =
    typeof error === "string"
      ? error
      : typeof (error as { message?: unknown } | undefined)?.message === "string"
        ? (error as { message: string }).message
        : "";
  return `HTTP ${response.status}${text ? ` ${text}` : ""}`.slice(0, 200);
}
