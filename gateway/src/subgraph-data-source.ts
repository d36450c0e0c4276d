import { RemoteGraphQLDataSource } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { Fetcher, FetcherResponse } from "@apollo/utils.fetcher";
import { CONTEXT_HEADER } from "@urr/auth-tokens";
import { ServiceUnavailableError } from "@urr/errors";
import type { Logger } from "@urr/logger";
import { GraphQLError } from "graphql";
import type { GatewayContext } from "./context.ts";
import { passGraphQLErrorBodies } from "./subgraph-error-body.ts";

export interface SubgraphDataSourceOptions {
  name: string;
  logger: Logger;
  url: string;
  /** Whether this subgraph reads the client's `urr_*` cookies. */
  receivesCookies: boolean;
  fetcher: Fetcher;
}

/**
 * One subgraph as the gateway calls it: the signed context on every fetch, the request id for
 * tracing, cookies only where needed, and the subgraph's Set-Cookie relayed to the client.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly options: SubgraphDataSourceOptions) {
    super({ url: options.url, fetcher: passGraphQLErrorBodies(options.fetcher) });
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
    for (const cookie of cookies) context.res?.append("Set-Cookie", cookie);
    return response;
  }

  /**
   * A non-2xx subgraph answer without a GraphQL body (those pass through: subgraph-error-body.ts),
   * or a 401/403 refusing the gateway's context token, is our fault, never the user's: the stock
   * behaviour would show that 401 as the user's UNAUTHENTICATED and attach the subgraph's URL and
   * body. Overload answers become SERVICE_UNAVAILABLE; the rest is masked and logged.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const { name, logger } = this.options;
    const body = await response.text().catch(() => "");
    logger.error(
      { subgraph: name, status: response.status, body: body.slice(0, 500) },
      "subgraph answered with an HTTP error",
    );
    if ([502, 503, 504].includes(response.status)) return unavailable(name);
    return new GraphQLError(`Subgraph ${name} answered HTTP ${response.status}`, {
      extensions: { code: "SUBGRAPH_HTTP_ERROR" },
    });
  }

  /** Connection refused, reset or timed out: the client may retry, so say so with a stable code. */
  override didEncounterError(error: Error): never {
    if (error instanceof GraphQLError) throw error;
    this.options.logger.warn({ subgraph: this.options.name, err: error }, "subgraph unreachable");
    throw unavailable(this.options.name);
  }
}

/**
 * What a client is told to wait when a subgraph is overloaded, slow past our timeout or away: the
 * same retryable contract (`retryAfterSeconds`) as the subgraphs' own load refusals.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

function unavailable(subgraph: string): ServiceUnavailableError {
  return new ServiceUnavailableError("A backing service is temporarily unavailable, retry shortly", {
    subgraph,
    retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
  });
}
