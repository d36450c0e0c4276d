import http from "node:http";
import type { Fetcher, FetcherHeaders, FetcherResponse } from "@apollo/utils.fetcher";

/**
 * The gateway's subgraph client: plain `http.request` over a keep-alive agent, the whole body
 * buffered. Subgraph responses are small JSON documents; WHATWG fetch (undici) spent most of the
 * gateway's remaining CPU on web streams for them. Implements only what Apollo's data source uses.
 */
export interface HttpFetcherOptions {
  timeoutMs: number;
  /** Connections per subgraph host; requests beyond it queue on the agent. */
  maxSockets: number;
}

export class SubgraphTimeoutError extends Error {
  constructor(url: string, timeoutMs: number) {
    super(`no answer from ${url} within ${timeoutMs} ms`);
    this.name = "SubgraphTimeoutError";
  }
}

/**
 * A kept-alive socket idle this long is closed by us. Node servers (the subgraphs) close theirs after
 * 5 s idle (`keepAliveTimeout`); reusing one at that instant fails with ECONNRESET, which clients
 * meet exactly when they come back after a 5 s `retryAfterSeconds`. Closing first avoids the race.
 */
export const IDLE_SOCKET_MS = 3_000;

export function createHttpFetcher(options: HttpFetcherOptions): Fetcher {
  // `timeout` destroys only free sockets that idle that long (a request in flight keeps its own timer).
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.maxSockets,
    scheduling: "lifo",
    timeout: IDLE_SOCKET_MS,
  });
  return (url, init = {}) =>
    new Promise<FetcherResponse>((resolve, reject) => {
      const body = init.body ?? "";
      const req = http.request(
        url,
        {
          method: init.method ?? "GET",
          agent,
          headers: { ...init.headers, "content-length": String(Buffer.byteLength(body)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            clearTimeout(timer);
            resolve(new BufferedResponse(url, res, Buffer.concat(chunks)));
          });
        },
      );
      const timer = setTimeout(
        () => req.destroy(new SubgraphTimeoutError(url, options.timeoutMs)),
        options.timeoutMs,
      );
      req.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(body);
    });
}

class BufferedResponse implements FetcherResponse {
  readonly redirected = false;
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: ResponseHeaders;
  bodyUsed = false;

  constructor(
    readonly url: string,
    res: http.IncomingMessage,
    private readonly body: Buffer,
  ) {
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? "";
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new ResponseHeaders(res.headers);
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body.toString("utf8");
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return this.body.buffer.slice(
      this.body.byteOffset,
      this.body.byteOffset + this.body.byteLength,
    ) as ArrayBuffer;
  }

  clone(): FetcherResponse {
    return Object.assign(Object.create(BufferedResponse.prototype) as BufferedResponse, this, {
      bodyUsed: false,
    });
  }
}

/** Response headers, read-only in practice; `getSetCookie()` keeps each cookie separate. */
class ResponseHeaders implements FetcherHeaders {
  private readonly map = new Map<string, string[]>();

  constructor(raw: http.IncomingHttpHeaders) {
    for (const [name, value] of Object.entries(raw)) {
      if (value !== undefined) this.map.set(name, Array.isArray(value) ? value : [value]);
    }
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase())?.join(", ") ?? null;
  }
  getSetCookie(): string[] {
    return this.map.get("set-cookie") ?? [];
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  append(name: string, value: string): void {
    this.map.set(name.toLowerCase(), [...(this.map.get(name.toLowerCase()) ?? []), value]);
  }
  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), [value]);
  }
  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }
  *entries(): IterableIterator<[string, string]> {
    for (const [name, values] of this.map) yield [name, values.join(", ")];
  }
  *keys(): IterableIterator<string> {
    yield* this.map.keys();
  }
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}
