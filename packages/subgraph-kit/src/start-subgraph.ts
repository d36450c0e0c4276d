import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper";
import { expressMiddleware } from "@as-integrations/express5";
import type { Viewer } from "@urr/auth-tokens";
import type { Logger } from "@urr/logger";
import {
  type OperationLimits,
  operationLimitsGuard,
  operationParseOptions,
  SUBGRAPH_OPERATION_LIMITS,
} from "@urr/operation-limits";
import { metricsHandler, serverSpans } from "@urr/telemetry";
import cookieParser from "cookie-parser";
import express from "express";
import type { DocumentNode } from "graphql";
import type { CryptoKey } from "jose";
import { bodyErrorHandler } from "./body-errors.ts";
import { type BaseContext, cookieJar } from "./context.ts";
import { contextGuard } from "./context-guard.ts";
import { formatErrorFor } from "./format-error.ts";
import { operationMetricsPlugin } from "./operation-metrics.ts";
import { serveSubscriptions } from "./subscription-server.ts";

export interface SubgraphOptions<TContext extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  /** Typed per subgraph by codegen (`Resolvers` in its generated/graphql.ts). */
  resolvers: object;
  port: number;
  host?: string;
  logger: Logger;
  /** The gateway's public key: the only source of identity a subgraph trusts. */
  contextVerifyingKey: CryptoKey;
  /** Adds the subgraph's loaders and services to the base context, once per request. */
  buildContext(base: BaseContext): TContext | Promise<TContext>;
  /** Throws when a dependency (database, Redis) is not usable; drives `/ready`. */
  readiness?: () => Promise<void>;
  introspection?: boolean;
  /**
   * Defence in depth behind the gateway's limits (a bug or a leaked service token must not bypass
   * them): oversized operations are refused with OPERATION_TOO_COMPLEX before validation.
   */
  operationLimits?: OperationLimits;
  /** Extra HTTP routes beside /graphql (served without the context guard: they authorise themselves). */
  routes?: (app: express.Express) => void;
}

export interface RunningSubgraph {
  url: string;
  port: number;
  /** Stops accepting requests and waits for in-flight ones. */
  stop(): Promise<void>;
}

export async function startSubgraph<TContext extends BaseContext>(
  options: SubgraphOptions<TContext>,
): Promise<RunningSubgraph> {
  const { logger } = options;
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);

  const schema = buildSubgraphSchema({
    typeDefs: options.typeDefs,
    resolvers: options.resolvers as GraphQLResolverMap<unknown>,
  });
  const formatError = formatErrorFor(logger);
  const limits = options.operationLimits ?? SUBGRAPH_OPERATION_LIMITS;
  const server = new ApolloServer<TContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: options.introspection ?? true,
    parseOptions: operationParseOptions(limits),
    // No Apollo Studio: traces would only cost CPU on every request.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      operationMetricsPlugin<TContext>(),
    ],
  });
  await server.start();

  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: options.name });
  });
  // Like /health, unauthenticated: subgraphs listen on a private network behind the gateway.
  app.get("/metrics", metricsHandler());
  app.get("/ready", async (_req, res) => {
    try {
      await options.readiness?.();
      res.json({ status: "ready", service: options.name });
    } catch (error) {
      logger.warn({ err: error }, "readiness check failed");
      res.status(503).json({ status: "unavailable", service: options.name });
    }
  });

  // One span per request the gateway or another service sent, continuing the caller's trace.
  app.use(["/graphql", "/internal"], serverSpans({ continueIncoming: true }));
  options.routes?.(app);

  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    cookieParser(),
    contextGuard(options.contextVerifyingKey, logger),
    operationLimitsGuard({ schema, limits }),
    expressMiddleware(server, {
      context: async ({ req, res }) => {
        // The gateway forwards the client's request id; it only correlates logs, so it is not signed.
        const requestId = req.header("x-request-id") ?? randomUUID();
        return options.buildContext({
          viewer: res.locals.viewer as Viewer,
          requestId,
          logger: logger.child({ requestId }),
          cookies: cookieJar(req, res),
          userAgent: req.header("user-agent"),
        });
      },
    }),
  );

  app.use(bodyErrorHandler);

  // Subscriptions (graphql-ws on the same port and path) when the schema has any.
  const subscriptions = schema.getSubscriptionType()
    ? serveSubscriptions({
        httpServer,
        schema,
        logger,
        contextVerifyingKey: options.contextVerifyingKey,
        buildContext: options.buildContext,
        formatError,
        limits,
      })
    : undefined;

  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host ?? "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}/graphql`;
  logger.info({ url }, `${options.name} subgraph ready`);
  return {
    url,
    port,
    async stop() {
      await subscriptions?.close();
      await server.stop();
    },
  };
}
