import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** An artist as Spotify's Web API returns it (the fields the adapter reads, and a few it ignores). */
export interface FakeArtist {
  id: string;
  name: string;
  genres?: string[];
  images?: { url: string; width: number; height: number }[];
  popularity?: number;
  followers?: { href: null; total: number };
  external_urls?: { spotify: string };
  type?: "artist";
  uri?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A scripted answer for the next request to an endpoint, instead of the fake's normal one. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Answer only after this long (a slow or stalled catalog). */
  delayMs?: number;
}

/**
 * A music catalog speaking the parts of Spotify's Web API the adapter uses, on a real local port:
 * the accounts service's client-credentials token endpoint (`POST /api/token`, Basic auth) and the
 * Web API's `GET /v1/artists/{id}` and `GET /v1/search?type=artist` (Bearer tokens it issued).
 * Every request is recorded; `scriptApi` / `scriptToken` queue answers (401, 429, 5xx, delays)
 * that replace the normal ones, first in first out.
 */
export class FakeMusicCatalog {
  readonly requests: RecordedRequest[] = [];
  readonly artists = new Map<string, FakeArtist>();
  clientId = "test-client-id";
  clientSecret = "test-client-secret";
  tokenLifetimeSeconds = 3600;
  private readonly issued = new Set<string>();
  private readonly apiScript: ScriptedAnswer[] = [];
  private readonly tokenScript: ScriptedAnswer[] = [];
  private server: Server | undefined;
  private tokenCount = 0;
  baseUrl = "";

  get tokenUrl(): string {
    return `${this.baseUrl}/api/token`;
  }

  /** Requests to the Web API (not the token endpoint). */
  get apiRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith("/v1/"));
  }

  get tokenRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === "/api/token");
  }

  scriptApi(...answers: ScriptedAnswer[]): void {
    this.apiScript.push(...answers);
  }

  scriptToken(...answers: ScriptedAnswer[]): void {
    this.tokenScript.push(...answers);
  }

  /** Every token issued so far stops working (as if revoked), so the next call gets 401. */
  revokeTokens(): void {
    this.issued.clear();
  }

  reset(): void {
    this.requests.length = 0;
    this.apiScript.length = 0;
    this.tokenScript.length = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const recorded = {
      method: req.method ?? "",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    this.requests.push(recorded);
    const isToken = url.pathname === "/api/token";
    const scripted = (isToken ? this.tokenScript : this.apiScript).shift();
    const answer = scripted ?? (isToken ? this.token(recorded) : this.api(recorded));
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (res.destroyed) return;
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
  }

  private token(req: RecordedRequest): ScriptedAnswer {
    const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString("base64")}`;
    if (req.method !== "POST" || new URLSearchParams(req.body).get("grant_type") !== "client_credentials")
      return { status: 400, body: { error: "unsupported_grant_type" } };
    if (req.headers.authorization !== expected)
      return { status: 400, body: { error: "invalid_client", error_description: "Invalid client" } };
    const token = `fake-token-${++this.tokenCount}`;
    this.issued.add(token);
    return {
      status: 200,
      body: { access_token: token, token_type: "Bearer", expires_in: this.tokenLifetimeSeconds },
    };
  }

  private api(req: RecordedRequest): ScriptedAnswer {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!token || !this.issued.has(token))
      return { status: 401, body: { error: { status: 401, message: "The access token expired" } } };
    const artistId = /^\/v1\/artists\/([^/]+)$/.exec(req.path)?.[1];
    if (artistId) {
      const artist = this.artists.get(decodeURIComponent(artistId));
      return artist
        ? { status: 200, body: artist }
        : { status: 404, body: { error: { status: 404, message: "Resource not found" } } };
    }
    if (req.path === "/v1/search" && req.query.get("type") === "artist") {
      const q = (req.query.get("q") ?? "").toLowerCase();
      const limit = Number(req.query.get("limit") ?? 20);
      const offset = Number(req.query.get("offset") ?? 0);
      const matches = [...this.artists.values()].filter((a) => a.name.toLowerCase().includes(q));
      const items = matches.slice(offset, offset + limit);
      const next =
        offset + limit < matches.length ? `${this.baseUrl}/v1/search?offset=${offset + limit}` : null;
      return {
        status: 200,
        body: { artists: { href: "", items, limit, next, offset, previous: null, total: matches.length } },
      };
    }
    return { status: 404, body: { error: { status: 404, message: "Service not found" } } };
  }
}

/** A Spotify-shaped artist with a 22-character base-62 id derived from `seed`. */
export function fakeArtist(seed: string, overrides: Partial<FakeArtist> = {}): FakeArtist {
  const id = `${seed.replace(/[^0-9A-Za-z]/g, "")}${"0".repeat(22)}`.slice(0, 22);
  return {
    id,
    name: seed,
    genres: ["k-pop", "k-pop boy group"],
    images: [
      { url: `https://i.scdn.co/image/${id}-160`, width: 160, height: 160 },
      { url: `https://i.scdn.co/image/${id}-640`, width: 640, height: 640 },
    ],
    popularity: 87,
    followers: { href: null, total: 1234567 },
    external_urls: { spotify: `https://open.spotify.com/artist/${id}` },
    type: "artist",
    uri: `spotify:artist:${id}`,
    ...overrides,
  };
}
