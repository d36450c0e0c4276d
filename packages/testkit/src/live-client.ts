import { type Client, createClient, type FormattedExecutionResult } from "graphql-ws";

type ExecutionResult<T> = FormattedExecutionResult<T, unknown>;

import WebSocket from "ws";

/** One subscription's results as they arrive, for tests. */
export interface LiveSubscription<T = Record<string, unknown>> {
  readonly results: ExecutionResult<T>[];
  /** Resolves with the first result (from the start) that satisfies `match`. */
  waitFor(
    match: (result: ExecutionResult<T>) => boolean,
    timeoutMs?: number,
    what?: string,
  ): Promise<ExecutionResult<T>>;
  /** Settles when the server completes the subscription (or rejects on a protocol error). */
  readonly ended: Promise<void>;
  close(): void;
}

export interface LiveClient {
  subscribe<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): LiveSubscription<T>;
  client: Client;
  dispose(): Promise<void>;
}

/**
 * A graphql-ws client of the gateway (same URL as HTTP, ws: scheme), signed in with a bearer token
 * in the connection params, or with a browser's cookies on the upgrade request. A browser also sends
 * its page's `origin`; the gateway signs a socket in from the cookie only for an allowed origin.
 */
export function openLiveClient(
  httpUrl: string,
  options: {
    accessToken?: string;
    cookie?: string;
    origin?: string;
    apiKey?: string;
    /** Keep the socket open this long after its last operation (graphql-ws closes it at once). */
    lazyCloseTimeout?: number;
  } = {},
): LiveClient {
  const { cookie, origin } = options;
  const headers = { ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) };
  const client = createClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl:
      cookie || origin
        ? class extends WebSocket {
            constructor(address: string, protocols?: string | string[]) {
              super(address, protocols, { headers });
            }
          }
        : WebSocket,
    retryAttempts: 0,
    lazy: true,
    ...(options.lazyCloseTimeout ? { lazyCloseTimeout: options.lazyCloseTimeout } : {}),
    connectionParams: {
      ...(options.accessToken ? { authorization: `Bearer ${options.accessToken}` } : {}),
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    },
  });
  return {
    client,
    subscribe<T>(query: string, variables: Record<string, unknown> = {}): LiveSubscription<T> {
      const results: ExecutionResult<T>[] = [];
      const waiters = new Set<() => void>();
      let settle!: { resolve: () => void; reject: (e: unknown) => void };
      const ended = new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
      });
      ended.catch(() => {});
      const stop = client.subscribe<T>(
        { query, variables },
        {
          next: (result) => {
            results.push(result);
            for (const wake of waiters) wake();
          },
          error: (error) => {
            settle.reject(error);
            for (const wake of waiters) wake();
          },
          complete: () => {
            settle.resolve();
            for (const wake of waiters) wake();
          },
        },
      );
      return {
        results,
        ended,
        close: stop,
        async waitFor(match, timeoutMs = 10_000, what = "a matching result") {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const found = results.find((r) => match(r));
            if (found) return found;
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(results)}`);
            await new Promise<void>((resolve) => {
              const wake = () => {
                waiters.delete(wake);
                clearTimeout(timer);
                resolve();
              };
              const timer = setTimeout(wake, left);
              waiters.add(wake);
            });
          }
        },
      };
    },
    dispose: async () => {
      await client.dispose();
    },
  };
}
