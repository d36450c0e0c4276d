import { RemoteGraphQLDataSource } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { CONTEXT_HEADER } from "@urr/auth-tokens";
import type { GatewayContext } from "./context.ts";

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** Whether this subgraph reads the client's `urr_*` cookies. */
  receivesCookies: boolean;
  timeoutMs: number;
}

/**
 * One subgraph as the gateway calls it: the signed context on every fetch, the request id for
 * tracing, cookies only where needed, and the subgraph's Set-Cookie relayed to the client.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly options: SubgraphDataSourceOptions) {
    super({
      url: options.url,
      // Node's fetch (undici): pooled keep-alive connections, and getSetCookie() for multiple cookies.
      fetcher: (url, init) =>
        fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) } as RequestInit),
    });
  }

  override async willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>["willSendRequest"]>>[0]) {
    const headers = request.http?.headers;
    if (!headers || !context.contextToken) return;
    headers.set(CONTEXT_HEADER, await context.contextToken());
    headers.set("x-request-id", context.requestId);
    if (this.options.receivesCookies && context.forwardedCookies)
      headers.set("cookie", context.forwardedCookies);
  }

  override didReceiveResponse({
    response,
    context,
  }: {
    response: GatewayGraphQLResponse;
    context: GatewayContext;
  }) {
    const headers = response.http?.headers as unknown as { getSetCookie?: () => string[] } | undefined;
    const cookies = headers?.getSetCookie?.() ?? [];
    for (const cookie of cookies) context.res.append("Set-Cookie", cookie);
    return response;
  }
}
