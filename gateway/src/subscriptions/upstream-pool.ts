import { ANONYMOUS, CONTEXT_HEADER, type ContextTokenSigner } from "@urr/auth-tokens";
import type { Logger } from "@urr/logger";
import {
  type Client,
  createClient,
  type ExecutionResult,
  type Sink,
  type SubscribePayload,
} from "graphql-ws";
import WebSocket from "ws";

/** Close codes after which re-subscribing cannot help (the subgraph refused the gateway itself). */
const FATAL_CLOSE_CODES = new Set([4400, 4401, 4403, 4406]);

export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "number") return !FATAL_CLOSE_CODES.has(code);
  // Socket errors (refused, reset) carry no close code and are worth another try.
  return error instanceof Error || (typeof error === "object" && error !== null && "type" in error);
}

/**
 * The gateway's graphql-ws connections to subgraphs: one per subgraph, opened on first use and
 * closed a while after its last subscription ends. Every client subscription to that subgraph is
 * multiplexed over it; each carries its own signed viewer context (see the subgraph kit), and the
 * connection itself proves it is the gateway. Retries are the caller's (they re-sign the context).
 */
export class UpstreamPool {
  private readonly clients = new Map<string, Client>();

  constructor(
    private readonly deps: {
      /** Subgraph name → its HTTP GraphQL URL (the ws URL is the same with ws:). */
      urls: Map<string, string>;
      signer: ContextTokenSigner;
      logger: Logger;
    },
  ) {}

  private client(subgraph: string): Client {
    let client = this.clients.get(subgraph);
    if (client) return client;
    const httpUrl = this.deps.urls.get(subgraph);
    if (!httpUrl) throw new Error(`no URL for subgraph ${subgraph}`);
    client = createClient({
      url: httpUrl.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      lazy: true,
      lazyCloseTimeout: 5_000,
      keepAlive: 10_000,
      retryAttempts: 0,
      connectionParams: async () => ({ [CONTEXT_HEADER]: await this.deps.signer.sign(ANONYMOUS) }),
      on: {
        closed: (event) => {
          const code = (event as { code?: number }).code;
          if (code !== 1000)
            this.deps.logger.warn({ subgraph, code }, "subscription connection to subgraph closed");
        },
      },
    });
    this.clients.set(subgraph, client);
    return client;
  }

  /** Starts one upstream subscription; the returned function ends it. */
  subscribe(subgraph: string, payload: SubscribePayload, sink: Sink<ExecutionResult>): () => void {
    return this.client(subgraph).subscribe(payload, sink);
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.dispose()));
    this.clients.clear();
  }
}
