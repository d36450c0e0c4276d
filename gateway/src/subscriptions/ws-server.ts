import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { ServiceMap } from "@apollo/gateway";
import type { ApolloServer } from "@apollo/server";
import { type AccessTokenVerifier, ANONYMOUS, type ContextTokenSigner, type Viewer } from "@urr/auth-tokens";
import { BadUserInputError, DomainError, ErrorCode, maskError } from "@urr/errors";
import type { Logger } from "@urr/logger";
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
import { assertAuthorized } from "../authorization/authorization.plugin.ts";
import type { RequirementMap } from "../authorization/requirements.ts";
import type { GatewayContext } from "../context.ts";
import { ACCESS_COOKIE, viewerFromCredentials } from "../viewer.ts";
import { federatedSubscription } from "./federated-subscription.ts";
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
  /** Runs queries and mutations sent over the socket through the same pipeline as HTTP. */
  apollo: ApolloServer<GatewayContext>;
  logger: Logger;
  maxSubscriptionsPerConnection: number;
}

interface ConnectionState {
  viewer: Viewer;
  /** Set when the connection presented credentials that did not verify: every operation fails. */
  refusal?: GraphQLError;
  active: Set<string>;
  requestId: string;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

function credentialOf(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  if (typeof value === "string") return value;
  const token = params?.accessToken;
  return typeof token === "string" ? `Bearer ${token}` : undefined;
}

/**
 * graphql-ws on the gateway's `/graphql` (same port and path as HTTP). The connection is
 * authenticated once, from `connectionParams` (`authorization: "Bearer …"` or `accessToken`) or the
 * access cookie of the upgrade request. Subscriptions run federated (see federated-subscription.ts);
 * queries and mutations on the socket go through Apollo Server like HTTP requests. Every operation
 * passes the same schema authorization (`@authenticated`, `@requiresScopes`) as HTTP.
 */
export function serveGatewaySubscriptions(options: GatewaySubscriptionOptions): { drain(): Promise<void> } {
  const { planner, logger } = options;
  // Messages are capped like HTTP bodies (256 KiB): a larger one closes the socket (1009).
  const wss = new WebSocketServer({ server: options.httpServer, path: "/graphql", maxPayload: 256 * 1024 });
  const states = new WeakMap<object, ConnectionState>();
  const formatError = (error: GraphQLError) =>
    maskError(error.toJSON(), error.originalError ?? error, {
      onMasked: (f, original) => logger.error({ err: original, path: f.path }, "unexpected error (masked)"),
    });

  const contextFor = (state: ConnectionState): GatewayContext => ({
    viewer: state.viewer,
    requestId: state.requestId,
    contextToken: () => options.signer.sign(state.viewer),
    forwardedCookies: undefined,
  });

  const server = useServer<Record<string, unknown> | undefined>(
    {
      schema: planner.schema,
      onConnect: async (ctx) => {
        const request = ctx.extra.request;
        const state: ConnectionState = {
          viewer: ANONYMOUS,
          active: new Set(),
          requestId: String(request.headers["x-request-id"] ?? randomUUID()),
        };
        try {
          state.viewer = await viewerFromCredentials(
            {
              authorization: credentialOf(ctx.connectionParams),
              accessCookie: cookieValue(request.headers.cookie, ACCESS_COOKIE),
            },
            options.accessTokens,
          );
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          state.refusal = error;
        }
        states.set(ctx, state);
        return true;
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
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [new BadUserInputError((error as Error).message)];
        }
        const invalid = validate(planner.schema, document);
        if (invalid.length > 0) {
          return invalid.map(
            (e) => new GraphQLError(e.message, { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }),
          );
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new BadUserInputError("Name the operation to run (operationName)")];
        const coerced = getVariableValues(
          planner.schema,
          operation.variableDefinitions ?? [],
          payload.variables ?? {},
        );
        if (coerced.errors) return coerced.errors.map((e) => new BadUserInputError(e.message));
        const contextValue = contextFor(state);
        try {
          assertAuthorized(planner.schema, document, options.requirements, contextValue);
        } catch (error) {
          return [error as GraphQLError];
        }
        state.active.add(id);
        return {
          schema: planner.schema,
          document,
          operationName: payload.operationName,
          variableValues: coerced.coerced,
          contextValue,
        } satisfies ExecutionArgs;
      },
      subscribe: (args) => {
        try {
          const planned = planner.plan(args.document, args.operationName ?? undefined);
          return federatedSubscription({
            planned,
            planner,
            variables: (args.variableValues ?? {}) as Record<string, unknown>,
            context: args.contextValue as GatewayContext,
            upstream: options.upstream,
            serviceMap: options.serviceMap,
            logger,
          });
        } catch (error) {
          logger.error({ err: error }, "could not plan a subscription");
          return { errors: [new GraphQLError("Could not plan this subscription")] };
        }
      },
      execute: async (args): Promise<ExecutionResult> => {
        const response = await options.apollo.executeOperation(
          {
            query: print(args.document),
            variables: (args.variableValues ?? {}) as Record<string, unknown>,
            ...(args.operationName ? { operationName: args.operationName } : {}),
          },
          { contextValue: args.contextValue as GatewayContext },
        );
        if (response.body.kind !== "single")
          return { errors: [new GraphQLError("Incremental delivery is not supported")] };
        return response.body.singleResult as ExecutionResult;
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((e) => (e instanceof GraphQLError ? formatError(e) : e)) }
          : undefined,
      onComplete: (ctx, id) => {
        states.get(ctx)?.active.delete(id);
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
