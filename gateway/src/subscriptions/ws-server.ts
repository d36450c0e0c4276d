import type http from "node:http";
import type { ServiceMap } from "@apollo/gateway";
import type { ApolloServer } from "@apollo/server";
import { type AccessTokenVerifier, ANONYMOUS, type ContextTokenSigner, type Viewer } from "@urr/auth-tokens";
import { BadUserInputError, DomainError, ErrorCode, maskError } from "@urr/errors";
import type { Logger } from "@urr/logger";
import { SpanKind, SubscriptionCounter, withSpan } from "@urr/telemetry";
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  getOperationAST,
  getVariableValues,
  parse,
  print,
  validate,
} from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { AuthorizationMode } from "../authorization/authorize-operation.ts";
import type { RequirementMap } from "../authorization/requirements.ts";
import { authorizeSocketOperation } from "../authorization/socket-authorization.ts";
import type { GatewayContext } from "../context.ts";
import type { Edge } from "../edge/edge.ts";
import type { EdgeClient } from "../edge/edge-client.ts";
import { API_KEY_HEADER, identifyClient, type PartnerKeys } from "../edge/identify.ts";
import { readSocketOperation } from "../edge/operation-request.ts";
import { EdgeRefusal } from "../edge/refusal.ts";
import { viewerFromCredentials } from "../viewer.ts";
import { federatedSubscription } from "./federated-subscription.ts";
import {
  atExpiry,
  checkOrigin,
  credentialExpiry,
  operationRequestId,
  socketCredentials,
} from "./socket-security.ts";
import type { SubscriptionPlanner } from "./subscription-planner.ts";
import type { UpstreamPool } from "./upstream-pool.ts";

export interface GatewaySubscriptionOptions {
  httpServer: http.Server;
  planner: SubscriptionPlanner;
  upstream: UpstreamPool;
  serviceMap: ServiceMap;
  accessTokens: AccessTokenVerifier;
  signer: ContextTokenSigner;
  requirements: RequirementMap;
  /** Schema authorization mode, the same as HTTP (`AUTHORIZATION_MODE`). */
  authorizationMode?: AuthorizationMode;
  /** Runs queries and mutations sent over the socket through the same pipeline as HTTP. */
  apollo: ApolloServer<GatewayContext>;
  logger: Logger;
  maxSubscriptionsPerConnection: number;
  /** `CORS_ORIGINS`: the browser origins whose pages may open a socket (see socket-security.ts). */
  allowedOrigins: readonly string[];
  /** The same door as HTTP: documents, operation limits, introspection, rate limits and quotas. */
  edge: Edge;
  partnerKeys?: PartnerKeys | undefined;
  /** The caller's address from the upgrade request, X-Forwarded-For believed from trusted proxies. */
  addressOf: (socketAddress: string | undefined, forwardedFor: string | string[] | undefined) => string;
}

interface ConnectionState {
  viewer: Viewer;
  /** Who the edge sees (set once the connection's credentials verified). */
  client?: EdgeClient;
  /** The partner API key the connection presented, checked again for every operation. */
  apiKey?: string;
  /** Set when the connection presented credentials that did not verify: every operation fails. */
  refusal?: GraphQLError;
  active: Set<string>;
  /** When the viewer's access token expires (ms): the socket is closed with 4401 then. */
  expiresAt: number | undefined;
  cancelExpiry?: () => void;
}

/** graphql-ws's Unauthorized: the client signs in again (refreshes) and reconnects. */
const TOKEN_EXPIRED = { code: 4401, reason: "Access token expired" } as const;

/**
 * graphql-ws on the gateway's `/graphql` (same port and path as HTTP). The connection is
 * authenticated once, from `connectionParams` (`authorization: "Bearer …"` or `accessToken`) or the
 * access cookie of the upgrade request, under the Origin rule of socket-security.ts; it is closed
 * with 4401 when that access token expires. Subscriptions run federated (see
 * federated-subscription.ts); queries and mutations on the socket go through Apollo Server like HTTP
 * requests. Every operation passes the same schema authorization (`@authenticated`,
 * `@requiresScopes`) as HTTP.
 */
export function serveGatewaySubscriptions(options: GatewaySubscriptionOptions): { drain(): Promise<void> } {
  const { planner, logger } = options;
  // Messages are capped like HTTP bodies (256 KiB): a larger one closes the socket (1009).
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: "/graphql",
    maxPayload: 256 * 1024,
    // A page of a foreign origin gets no socket at all (403 at the upgrade, before any message).
    verifyClient: (info, accept) =>
      checkOrigin(info.req.headers.origin, options.allowedOrigins, info.req.headers.host) === "refused"
        ? accept(false, 403, "Origin not allowed")
        : accept(true),
  });
  const states = new WeakMap<object, ConnectionState>();
  /** Per operation: puts the fields schema authorization removed back as nulls with errors. */
  const completions = new WeakMap<object, (result: ExecutionResult) => ExecutionResult>();
  const openSubscriptions = new SubscriptionCounter();
  const formatError = (error: GraphQLError) =>
    maskError(error.toJSON(), error.originalError ?? error, {
      onMasked: (f, original) => logger.error({ err: original, path: f.path }, "unexpected error (masked)"),
    });

  const contextFor = (state: ConnectionState, requestId: string, schemaDetails: boolean): GatewayContext => ({
    viewer: state.viewer,
    requestId,
    contextToken: () => options.signer.sign(state.viewer),
    forwardedCookies: undefined,
    schemaDetails,
  });

  const server = useServer<Record<string, unknown> | undefined>(
    {
      schema: planner.schema,
      onConnect: async (ctx) => {
        const { headers } = ctx.extra.request;
        const state: ConnectionState = { viewer: ANONYMOUS, active: new Set(), expiresAt: undefined };
        const credentials = socketCredentials(
          checkOrigin(headers.origin, options.allowedOrigins, headers.host),
          headers.cookie,
          ctx.connectionParams,
        );
        try {
          state.viewer = await viewerFromCredentials(credentials, options.accessTokens);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          state.refusal = error;
        }
        if (!state.refusal) {
          const params = ctx.connectionParams ?? {};
          // `apiKey`, or the header's own name as GraphiQL and other tools send their headers tab.
          const apiKey =
            typeof params.apiKey === "string"
              ? params.apiKey
              : typeof params[API_KEY_HEADER] === "string"
                ? params[API_KEY_HEADER]
                : headers[API_KEY_HEADER];
          const client = await identifyClient(
            {
              viewer: async () => state.viewer,
              apiKey: typeof apiKey === "string" ? apiKey : undefined,
              clientName: typeof params.clientName === "string" ? params.clientName : undefined,
              address: options.addressOf(ctx.extra.request.socket.remoteAddress, headers["x-forwarded-for"]),
            },
            options.partnerKeys,
          );
          if (client instanceof EdgeRefusal) state.refusal = client.error;
          else state.client = client;
          if (typeof apiKey === "string") state.apiKey = apiKey;
        }
        if (state.viewer.authenticated) {
          state.expiresAt = credentialExpiry(credentials);
          if (state.expiresAt !== undefined)
            state.cancelExpiry = atExpiry(state.expiresAt, () =>
              ctx.extra.socket.close(TOKEN_EXPIRED.code, TOKEN_EXPIRED.reason),
            );
        }
        states.set(ctx, state);
        return true;
      },
      onClose: (ctx) => {
        states.get(ctx)?.cancelExpiry?.();
      },
      onSubscribe: async (ctx, id, payload) => {
        const state = states.get(ctx);
        if (!state)
          return [
            new GraphQLError("Connection not initialised", {
              extensions: { code: ErrorCode.Unauthenticated },
            }),
          ];
        if (state.refusal) return [state.refusal];
        if (state.expiresAt !== undefined && state.expiresAt <= Date.now()) {
          // The expiry timer may not have run yet (a busy event loop): never sign for a lapsed token.
          ctx.extra.socket.close(TOKEN_EXPIRED.code, TOKEN_EXPIRED.reason);
          return [
            new GraphQLError(TOKEN_EXPIRED.reason, { extensions: { code: ErrorCode.Unauthenticated } }),
          ];
        }
        if (state.active.size >= options.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(
              `At most ${options.maxSubscriptionsPerConnection} operations at once per connection`,
              {
                extensions: { code: ErrorCode.RateLimited, reason: "SUBSCRIPTION_LIMIT" },
              },
            ),
          ];
        }
        const request = readSocketOperation(payload as unknown as Record<string, unknown>);
        if (request instanceof EdgeRefusal) return [request.error];
        if (state.apiKey !== undefined && state.client && options.partnerKeys) {
          // Checked per operation (cached for API_KEY_CACHE_SECONDS): a key revoked while its
          // socket stays open stops running new operations like it does over HTTP.
          const key = await options.partnerKeys.verify(state.apiKey);
          if (key instanceof EdgeRefusal) return [key.error];
          state.client = { ...state.client, partnerKey: key };
        }
        const admitted = state.client ? await options.edge.admit(request, state.client) : undefined;
        if (!admitted)
          return [
            new GraphQLError("Connection not initialised", {
              extensions: { code: ErrorCode.Unauthenticated },
            }),
          ];
        if (admitted instanceof EdgeRefusal) return [admitted.error];
        const operationName = admitted.operationName;
        let document: DocumentNode;
        try {
          document = parse(admitted.query);
        } catch (error) {
          return [new BadUserInputError((error as Error).message)];
        }
        const invalid = validate(planner.schema, document);
        if (invalid.length > 0) {
          return invalid.map(
            (e) => new GraphQLError(e.message, { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }),
          );
        }
        const operation = getOperationAST(document, operationName);
        if (!operation) return [new BadUserInputError("Name the operation to run (operationName)")];
        const coerced = getVariableValues(
          planner.schema,
          operation.variableDefinitions ?? [],
          payload.variables ?? {},
        );
        if (coerced.errors) return coerced.errors.map((e) => new BadUserInputError(e.message));
        const contextValue = contextFor(
          state,
          operationRequestId(payload.extensions),
          admitted.schemaDetails,
        );
        const authorized = authorizeSocketOperation({
          schema: planner.schema,
          document,
          operationName,
          requirements: options.requirements,
          viewer: state.viewer,
          mode: options.authorizationMode ?? "filter",
        });
        if ("errors" in authorized) return authorized.errors;
        state.active.add(id);
        const args = {
          schema: planner.schema,
          document: authorized.document,
          operationName,
          variableValues: coerced.coerced,
          contextValue,
        } satisfies ExecutionArgs;
        completions.set(args, authorized.complete);
        return args;
      },
      subscribe: (args) => {
        try {
          const planned = planner.plan(args.document, args.operationName ?? undefined);
          return federatedSubscription({
            planned,
            supergraph: planner.supergraph,
            variables: (args.variableValues ?? {}) as Record<string, unknown>,
            context: args.contextValue as GatewayContext,
            upstream: options.upstream,
            serviceMap: options.serviceMap,
            logger,
            operationName: args.operationName ?? null,
          });
        } catch (error) {
          logger.error({ err: error }, "could not plan a subscription");
          return { errors: [new GraphQLError("Could not plan this subscription")] };
        }
      },
      execute: async (args): Promise<ExecutionResult> => {
        // The operation's span, as HTTP requests get from serverSpans (the telemetry plugin names it
        // after the operation once Apollo resolved it; Apollo's plan and fetch spans nest under it).
        const response = await withSpan("graphql-ws operation", { kind: SpanKind.SERVER }, () =>
          options.apollo.executeOperation(
            {
              query: print(args.document),
              variables: (args.variableValues ?? {}) as Record<string, unknown>,
              ...(args.operationName ? { operationName: args.operationName } : {}),
            },
            { contextValue: args.contextValue as GatewayContext },
          ),
        );
        if (response.body.kind !== "single")
          return { errors: [new GraphQLError("Incremental delivery is not supported")] };
        return response.body.singleResult as ExecutionResult;
      },
      onNext: (_ctx, _id, _payload, args, received) => {
        // Fields removed by schema authorization answer null with their errors, per event.
        const complete = completions.get(args);
        const result = complete ? complete(received as ExecutionResult) : received;
        if (result.errors) {
          return {
            ...result,
            errors: result.errors.map((e) => (e instanceof GraphQLError ? formatError(e) : e)),
          };
        }
        return result === received ? undefined : result;
      },
      onOperation: (ctx, id, _payload, _args, result) => {
        openSubscriptions.opened(ctx, id, result);
        return undefined;
      },
      onComplete: (ctx, id) => {
        states.get(ctx)?.active.delete(id);
        openSubscriptions.closed(ctx, id);
      },
    },
    wss,
  );

  return {
    async drain() {
      // Going Away: clients reconnect to another gateway replica (or this one after a restart);
      // closing each client subscription also ends its upstream subscription.
      for (const socket of wss.clients) socket.close(1001, "Gateway shutting down");
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await options.upstream.close();
    },
  };
}
