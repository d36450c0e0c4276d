import { randomUUID } from "node:crypto";
import type http from "node:http";
import { ANONYMOUS, CONTEXT_HEADER, ContextTokenVerifier, type Viewer } from "@urr/auth-tokens";
import { ErrorCode } from "@urr/errors";
import type { Logger } from "@urr/logger";
import { type OperationLimits, refusalFor } from "@urr/operation-limits";
import { SubscriptionCounter } from "@urr/telemetry";
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { CryptoKey } from "jose";
import { WebSocketServer } from "ws";
import type { BaseContext } from "./context.ts";

/** Most subscriptions one upstream connection (a gateway) may hold at once. */
const DEFAULT_MAX_PER_CONNECTION = 100_000;

export interface SubscriptionServerOptions<TContext extends BaseContext> {
  httpServer: http.Server;
  schema: GraphQLSchema;
  logger: Logger;
  contextVerifyingKey: CryptoKey;
  buildContext(base: BaseContext): TContext | Promise<TContext>;
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  maxPerConnection?: number;
  /** The same operation limits as over HTTP: a leaked gateway key must not bypass them here. */
  limits?: OperationLimits;
}

/**
 * graphql-ws on the subgraph's own port and path, for the gateway only. The connection proves it is
 * the gateway (a gateway-signed context token in the connection params); each subscription carries
 * its own signed context in `extensions`, so one connection multiplexes many users' subscriptions.
 */
export function serveSubscriptions<TContext extends BaseContext>(
  options: SubscriptionServerOptions<TContext>,
): { close(): Promise<void> } {
  const { logger } = options;
  const verifier = new ContextTokenVerifier(options.contextVerifyingKey);
  const wss = new WebSocketServer({ server: options.httpServer, path: "/graphql" });
  const viewers = new WeakMap<object, Map<string, Viewer>>();
  const max = options.maxPerConnection ?? DEFAULT_MAX_PER_CONNECTION;
  const open = new SubscriptionCounter();

  const server = useServer<Record<string, unknown> | undefined>(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        const token = ctx.connectionParams?.[CONTEXT_HEADER];
        try {
          if (typeof token !== "string") return false;
          await verifier.verify(token);
          viewers.set(ctx, new Map());
          return true;
        } catch (error) {
          logger.warn({ err: error }, "refused a subscription connection without a valid gateway context");
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const byId = viewers.get(ctx);
        if (!byId) return [refusal("Connection not initialised", ErrorCode.Unauthenticated)];
        if (byId.size >= max)
          return [refusal("Too many subscriptions on this connection", ErrorCode.RateLimited)];
        const token = payload.extensions?.[CONTEXT_HEADER];
        try {
          if (typeof token !== "string") throw new Error("missing");
          byId.set(id, await verifier.verify(token));
        } catch {
          return [refusal("Missing or invalid gateway context", ErrorCode.Unauthenticated)];
        }
        const tooComplex =
          options.limits && refusalFor(payload, { schema: options.schema, limits: options.limits });
        if (tooComplex) {
          byId.delete(id);
          const { http: _http, ...extensions } = tooComplex.extensions;
          return [new GraphQLError(tooComplex.message, { extensions })];
        }
        return undefined;
      },
      context: async (ctx, id, payload) => {
        const requestId = payload.extensions?.["x-request-id"];
        const rid = typeof requestId === "string" ? requestId : randomUUID();
        const noCookies = { get: () => undefined, set: () => {}, clear: () => {} };
        return options.buildContext({
          viewer: viewers.get(ctx)?.get(id) ?? ANONYMOUS,
          requestId: rid,
          logger: logger.child({ requestId: rid, subscription: id }),
          cookies: noCookies,
          userAgent: undefined,
          live: true,
        });
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((e) => options.formatError(e.toJSON(), e)) }
          : undefined,
      onOperation: (ctx, id, _payload, _args, result) => {
        open.opened(ctx, id, result);
        return undefined;
      },
      onComplete: (ctx, id) => {
        viewers.get(ctx)?.delete(id);
        open.closed(ctx, id);
      },
      onError: (_ctx, _id, _payload, errors) => {
        return errors.map((e) => options.formatError(e.toJSON(), e));
      },
    },
    wss,
  );

  return {
    async close() {
      // Going Away: the gateway re-subscribes elsewhere (another replica, or this one restarted).
      for (const socket of wss.clients) socket.close(1001, "Subgraph shutting down");
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function refusal(message: string, code: ErrorCode): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}
