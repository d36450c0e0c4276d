import type { Logger } from "@urr/logger";
import { CircuitBreaker, CircuitOpenError, withRetries } from "@urr/subgraph-kit";
import type { z } from "zod";
import {
  type CatalogResponse,
  errorDetail,
  exchange,
  type Refusal,
  retryAfterMs,
  TransientFailure,
} from "./catalog-http.ts";
import { ClientCredentials } from "./client-credentials.ts";
import type { ExternalArtistPage, ExternalArtistRecord, MusicCatalog } from "./music-catalog.ts";
import { MusicCatalogUnavailableError } from "./music-catalog-errors.ts";
import { artistAnswer, searchAnswer, toExternalArtist, toExternalArtistPage } from "./spotify-api.ts";

export interface SpotifyCatalogOptions {
  /** The Web API's origin, e.g. `https://api.spotify.com` (paths start with /v1). */
  baseUrl: string;
  /** The accounts service's token endpoint, e.g. `https://accounts.spotify.com/api/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per HTTP exchange (token or API), body included. */
  timeoutMs: number;
  /** Further attempts after a failure that may pass (network, timeout, 5xx), base·2ⁿ apart. */
  retries: number;
  baseDelayMs: number;
  /** A Retry-After up to this long is waited out within the request; a longer one is the admin's to wait. */
  maxRetryAfterWaitMs: number;
  /** Consecutive failed requests that pause calls, and for how long. */
  circuitFailureThreshold: number;
  circuitResetMs: number;
  logger: Logger;
  clock?: () => number;
}

type Answer<T> = { kind: "found"; value: T } | { kind: "not-found" } | { kind: "refused"; refusal: Refusal };

/** What the admin is told to wait after failures that may pass (a retry with backoff already ran). */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Spotify's Web API (or anything speaking it): artist search and artist by id, with an app token
 * from the client-credentials grant. Each request has a deadline, failures that may pass are
 * retried with backoff inside a circuit breaker (so an outage is not hammered), a 429 pauses every
 * call for as long as its Retry-After says, and a 401 gets one fresh token before it counts as
 * rejected credentials. Every outcome reaches the admin as a coded refusal, never as a raw error.
 */
export class SpotifyMusicCatalog implements MusicCatalog {
  readonly source = "SPOTIFY" as const;
  private readonly credentials: ClientCredentials;
  private readonly breaker: CircuitBreaker;
  private readonly clock: () => number;
  /** The catalog's last Retry-After: no request goes out before this instant. */
  private pausedUntil = 0;

  constructor(private readonly options: SpotifyCatalogOptions) {
    this.clock = options.clock ?? Date.now;
    this.credentials = new ClientCredentials({ ...options, clock: this.clock });
    this.breaker = new CircuitBreaker({
      service: "music-catalog",
      failureThreshold: options.circuitFailureThreshold,
      resetAfterMs: options.circuitResetMs,
      clock: this.clock,
    });
  }

  async search(query: string, page: { limit: number; offset: number }): Promise<ExternalArtistPage> {
    const params = new URLSearchParams({
      q: query,
      type: "artist",
      limit: String(page.limit),
      offset: String(page.offset),
    });
    const answer = await this.read(`/v1/search?${params}`, searchAnswer, []);
    if (!answer) throw this.refuse({ reason: "MUSIC_CATALOG_BAD_RESPONSE", detail: "search answered 404" });
    return toExternalArtistPage(answer);
  }

  async artist(externalId: string): Promise<ExternalArtistRecord | null> {
    // Spotify answers 400 "invalid id" for an id it cannot decode as well as 404 for one it lacks.
    const answer = await this.read(`/v1/artists/${encodeURIComponent(externalId)}`, artistAnswer, [400, 404]);
    return answer && toExternalArtist(answer);
  }

  /** The parsed answer at `path`; null when the catalog answered one of `missing`. */
  private async read<S extends z.ZodType>(
    path: string,
    schema: S,
    missing: number[],
  ): Promise<z.output<S> | null> {
    for (let attempt = 1; ; attempt++) {
      await this.waitOutPause();
      const answer = await this.guarded(path, schema, missing);
      if (answer.kind === "found") return answer.value;
      if (answer.kind === "not-found") return null;
      const { refusal } = answer;
      if (refusal.reason !== "MUSIC_CATALOG_RATE_LIMITED") throw this.refuse(refusal);
      this.pausedUntil = Math.max(this.pausedUntil, this.clock() + refusal.retryAfterMs);
      // One more try once a short pause is over; a second 429, or a long pause, goes to the admin.
      if (attempt > 1 || refusal.retryAfterMs > this.options.maxRetryAfterWaitMs) throw this.refuse(refusal);
    }
  }

  /** Sleeps through a short pause the catalog asked for; refuses at once during a long one. */
  private async waitOutPause(): Promise<void> {
    const remaining = this.pausedUntil - this.clock();
    if (remaining <= 0) return;
    if (remaining > this.options.maxRetryAfterWaitMs) {
      throw new MusicCatalogUnavailableError(
        "MUSIC_CATALOG_RATE_LIMITED",
        "The music catalog asked us to slow down; retry later",
        seconds(remaining),
      );
    }
    await sleep(remaining);
  }

  /** Retries and the breaker; refusals come back as answers, so they neither retry nor open it. */
  private async guarded<S extends z.ZodType>(
    path: string,
    schema: S,
    missing: number[],
  ): Promise<Answer<z.output<S>>> {
    try {
      return await this.breaker.run(() =>
        withRetries(() => this.attempt(path, schema, missing), {
          retries: this.options.retries,
          baseDelayMs: this.options.baseDelayMs,
          retryable: (error) => error instanceof TransientFailure,
        }),
      );
    } catch (error) {
      if (error instanceof CircuitOpenError) {
        throw new MusicCatalogUnavailableError(
          "MUSIC_CATALOG_UNAVAILABLE",
          "The music catalog failed repeatedly; calls are paused",
          seconds(this.options.circuitResetMs),
        );
      }
      if (error instanceof TransientFailure) {
        this.options.logger.warn({ err: error, path }, "music catalog unavailable after retries");
        throw new MusicCatalogUnavailableError(
          "MUSIC_CATALOG_UNAVAILABLE",
          "The music catalog is not answering; retry shortly",
          UNAVAILABLE_RETRY_AFTER_SECONDS,
        );
      }
      throw error;
    }
  }

  /** One try: a token, the request, and after a 401 one fresh token and the request again. */
  private async attempt<S extends z.ZodType>(
    path: string,
    schema: S,
    missing: number[],
  ): Promise<Answer<z.output<S>>> {
    let sent = await this.send(path);
    // Revoked or expired early: one fresh token; a second 401 means the credentials themselves.
    if (sent.kind === "response" && sent.response.status === 401) {
      sent = await this.send(path);
      if (sent.kind === "response" && sent.response.status === 401) {
        const detail = `a fresh token was refused too: ${errorDetail(sent.response)}`;
        return { kind: "refused", refusal: { reason: "MUSIC_CATALOG_CREDENTIALS_REJECTED", detail } };
      }
    }
    return sent.kind === "response" ? this.answerOf(sent.response, schema, missing) : sent;
  }

  private async send(
    path: string,
  ): Promise<{ kind: "response"; response: CatalogResponse } | { kind: "refused"; refusal: Refusal }> {
    const token = await this.credentials.token();
    if (token.kind === "refused") return token;
    const response = await exchange(
      new URL(path, this.options.baseUrl),
      { headers: { authorization: `Bearer ${token.token}`, accept: "application/json" } },
      this.options.timeoutMs,
    );
    if (response.status === 401) this.credentials.forget(token.token);
    return { kind: "response", response };
  }

  private answerOf<S extends z.ZodType>(
    response: CatalogResponse,
    schema: S,
    missing: number[],
  ): Answer<z.output<S>> {
    if (missing.includes(response.status)) return { kind: "not-found" };
    const detail = errorDetail(response);
    if (response.status === 429) {
      const wait = retryAfterMs(response.retryAfter, this.clock());
      return {
        kind: "refused",
        refusal: { reason: "MUSIC_CATALOG_RATE_LIMITED", retryAfterMs: wait, detail },
      };
    }
    // The app may not use this API (Spotify's development-mode and quota refusals are 403).
    if (response.status === 403) {
      return { kind: "refused", refusal: { reason: "MUSIC_CATALOG_CREDENTIALS_REJECTED", detail } };
    }
    const parsed = response.status === 200 ? schema.safeParse(response.body) : undefined;
    if (!parsed?.success) {
      const why = parsed?.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
      return { kind: "refused", refusal: { reason: "MUSIC_CATALOG_BAD_RESPONSE", detail: why ?? detail } };
    }
    return { kind: "found", value: parsed.data };
  }

  private refuse(refusal: Refusal): MusicCatalogUnavailableError {
    this.options.logger.warn({ reason: refusal.reason, detail: refusal.detail }, "music catalog refused");
    switch (refusal.reason) {
      case "MUSIC_CATALOG_RATE_LIMITED":
        return new MusicCatalogUnavailableError(
          refusal.reason,
          "The music catalog asked us to slow down; retry later",
          seconds(Math.max(refusal.retryAfterMs, this.pausedUntil - this.clock())),
        );
      case "MUSIC_CATALOG_CREDENTIALS_REJECTED":
        return new MusicCatalogUnavailableError(
          refusal.reason,
          "The music catalog refuses this server's credentials; an operator must check MUSIC_CATALOG_CLIENT_ID and MUSIC_CATALOG_CLIENT_SECRET",
        );
      case "MUSIC_CATALOG_BAD_RESPONSE":
        return new MusicCatalogUnavailableError(
          refusal.reason,
          "The music catalog gave an answer we cannot read",
        );
    }
  }
}
