import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import {
  AccessTokenVerifier,
  ContextTokenSigner,
  importSigningKey,
  importVerifyingKey,
} from "@urr/auth-tokens";
import { maskError } from "@urr/errors";
import { startPeriodicJob } from "@urr/jobs";
import type { Logger } from "@urr/logger";
import { operationLimitsFromConfig } from "@urr/operation-limits";
import {
  clientAddress,
  createRateLimitRedis,
  RateLimits,
  rateLimitsFromConfig,
  whenRedisReady,
} from "@urr/rate-limits";
import { ApiKeyDirectoryClient, bodyErrorHandler } from "@urr/subgraph-kit";
import { OperationNames, serverSpans } from "@urr/telemetry";
import cookieParser from "cookie-parser";
import cors from "cors";
import express from "express";
import type { GraphQLSchema } from "graphql";
import { collectRequirements, supergraphForPlanner } from "./authorization/requirements.ts";
import { assertEnforceableSecurity } from "./authorization/security-features.ts";
import type { GatewayConfig } from "./config.ts";
import { createGatewayContext, type GatewayContext, requestIdOf } from "./context.ts";
import { demoRoutes } from "./demo/demo-routes.ts";
import { CategoryRateLimitCheck, PartnerQuotaCheck } from "./edge/admission-checks.ts";
import { type ApqCache, MemoryApqCache, RedisApqCache } from "./edge/apq-cache.ts";
import { DocumentPolicy } from "./edge/document-policy.ts";
import { Edge } from "./edge/edge.ts";
import { httpEdgeHandler } from "./edge/http-handler.ts";
import { API_KEY_HEADER, identifyClient } from "./edge/identify.ts";
import { suggestionsPolicy } from "./edge/introspection.ts";
import { CachedPartnerKeys } from "./edge/partner-keys.ts";
import { loadTrustedDocuments } from "./edge/trusted-documents.ts";
import { UsageMeter } from "./edge/usage-meter.ts";
import { GuardedGateway } from "./execution/guarded-gateway.ts";
import { explorerRoutes } from "./explorer/explorer-routes.ts";
import { createHttpFetcher } from "./http-fetcher.ts";
import { checkSubgraphs } from "./readiness.ts";
import { stripInternalHeaders } from "./strip-internal-headers.ts";
import { SubgraphDataSource } from "./subgraph-data-source.ts";
import { SubscriptionPlanner } from "./subscriptions/subscription-planner.ts";
import { UpstreamPool } from "./subscriptions/upstream-pool.ts";
import { serveGatewaySubscriptions } from "./subscriptions/ws-server.ts";
import { loadSupergraph } from "./supergraph.ts";
import { exposeMetrics } from "./telemetry/metrics-endpoint.ts";
import { httpOperationTelemetry, operationTelemetryPlugin } from "./telemetry/operation-telemetry.ts";
import { instrumentedFetcher } from "./telemetry/subgraph-fetch-telemetry.ts";
import { resolveViewer } from "./viewer.ts";

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  const supergraph = loadSupergraph(config.SUPERGRAPH_PATH, config.subgraphUrls);
  // Before anything listens: a security directive nobody enforces must not be served.
  assertEnforceableSecurity(supergraph.sdl);
  const accessTokens = new AccessTokenVerifier(await importVerifyingKey(config.ACCESS_TOKEN_PUBLIC_KEY));
  const contextSigner = new ContextTokenSigner(await importSigningKey(config.CONTEXT_TOKEN_PRIVATE_KEY));
  const routeUrl = new Map(supergraph.routes.map((r) => [r.name, r.url]));

  const fetcher = createHttpFetcher({
    timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    maxSockets: config.SUBGRAPH_MAX_SOCKETS,
  });
  const dataSource = (name: string, url?: string) =>
    new SubgraphDataSource({
      name,
      logger,
      url: routeUrl.get(name) ?? url ?? "",
      receivesCookies: config.COOKIE_SUBGRAPHS.includes(name),
      fetcher: instrumentedFetcher(fetcher, name),
    });
  const plannerSdl = supergraphForPlanner(supergraph.sdl);
  const gateway = new ApolloGateway({
    supergraphSdl: plannerSdl,
    buildService: ({ name, url }) => dataSource(name, url),
  });
  const requirements = collectRequirements(supergraph.sdl);
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: current }) => {
    apiSchema = current;
  });

  // Fail fast rather than queue commands while Redis is away: each edge part has its own policy
  // (rate-limit categories theirs, APQ answers "not found", quotas fall back to this replica).
  const rateLimitSettings = rateLimitsFromConfig(config);
  const redis = config.REDIS_URL
    ? createRateLimitRedis(config.REDIS_URL, { commandTimeoutMs: rateLimitSettings.storeTimeoutMs, logger })
    : undefined;
  if (redis && !(await whenRedisReady(redis, 5_000)))
    logger.warn("Redis is not answering: serving anyway, each rate-limit category follows its outage policy");
  const rateLimits = new RateLimits({
    settings: rateLimitSettings,
    supergraphSdl: supergraph.sdl,
    ...(redis ? { redis } : {}),
    logger,
    keyPrefix: `${config.REDIS_KEY_PREFIX}urr:`,
  });
  const addressOf = (socketAddress: string | undefined, forwardedFor: string | string[] | undefined) =>
    clientAddress(socketAddress, forwardedFor, rateLimitSettings.trustedProxies);
  const apqBounds = { ttlSeconds: config.APQ_TTL_SECONDS, maxEntries: config.APQ_MAX_ENTRIES };
  const apq: ApqCache | undefined = !config.APQ_ENABLED
    ? undefined
    : redis
      ? new RedisApqCache(redis, apqBounds, `${config.REDIS_KEY_PREFIX}urr:apq:`)
      : new MemoryApqCache(apqBounds);
  // Partner API keys live in auth; without the service secret the gateway accepts none.
  const keyDirectory = config.INTERNAL_API_SECRET
    ? new ApiKeyDirectoryClient({ baseUrl: config.AUTH_INTERNAL_URL, secret: config.INTERNAL_API_SECRET })
    : undefined;
  const partnerKeys =
    keyDirectory &&
    new CachedPartnerKeys({ directory: keyDirectory, cacheSeconds: config.API_KEY_CACHE_SECONDS, logger });
  const usage = keyDirectory && new UsageMeter(keyDirectory, logger);
  const trustedDocuments = loadTrustedDocuments(config.DOCUMENTS_MANIFEST_PATH);
  // Metric labels name only registered operations: clients choose names freely.
  const operationNames = new OperationNames(trustedDocuments.all().map((d) => d.name));
  const schemaOpenToAll = config.INTROSPECTION ?? config.NODE_ENV !== "production";
  const usageFlush =
    usage &&
    startPeriodicJob({
      name: "partner usage report",
      intervalMs: config.USAGE_FLUSH_MS,
      run: () => usage.flush(),
      logger,
      failureLevel: "warn",
    });
  const edge = new Edge({
    documents: new DocumentPolicy({
      registry: trustedDocuments,
      apq,
      apqMaxQueryBytes: config.APQ_MAX_QUERY_BYTES,
      modes: { firstParty: config.DOCUMENTS_MODE_FIRST_PARTY, partner: config.DOCUMENTS_MODE_PARTNER },
      logger,
    }),
    limits: operationLimitsFromConfig(config),
    schema: () => {
      if (!apiSchema) throw new Error("the gateway has no schema yet");
      return apiSchema;
    },
    schemaOpenToAll,
    checks: [new CategoryRateLimitCheck(rateLimits), new PartnerQuotaCheck(rateLimits, usage)],
  });

  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);
  const server = new ApolloServer<GatewayContext>({
    gateway: new GuardedGateway(gateway, { requirements, authorizationMode: config.AUTHORIZATION_MODE }),
    // The edge decides per client (edge/introspection.ts); Apollo Server's switch is all or nothing.
    introspection: true,
    // The edge runs APQ with a cache shared by replicas (edge/apq-cache.ts).
    persistedQueries: false,
    plugins: [
      operationTelemetryPlugin(operationNames),
      suggestionsPolicy<GatewayContext>(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's default landing page loads from a CDN; the gateway calls no outside host.
      ApolloServerPluginLandingPageDisabled(),
    ],
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => {
      // @apollo/gateway stamps every subgraph error with its serviceName: topology the error did not
      // choose to show (SERVICE_UNAVAILABLE names its `subgraph` itself, on purpose).
      const { serviceName: _subgraph, ...extensions } = formatted.extensions ?? {};
      return maskError({ ...formatted, extensions }, error, {
        onMasked: (f, original) => logger.error({ err: original, path: f.path }, "unexpected error (masked)"),
      });
    },
  });
  await server.start();

  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: "gateway" });
  });
  app.get("/ready", async (_req, res) => {
    const report = await checkSubgraphs(supergraph.routes);
    res.status(report.ready ? 200 : 503).json(report);
  });
  const metrics = await exposeMetrics(app, config, logger);

  const identify = (req: express.Request) =>
    identifyClient(
      {
        viewer: () => resolveViewer(req, accessTokens),
        apiKey: req.header(API_KEY_HEADER),
        clientName: req.header("apollographql-client-name"),
        address: addressOf(req.socket.remoteAddress, req.headers["x-forwarded-for"]),
      },
      partnerKeys,
    );
  // CORS first: Express answers OPTIONS itself for any path a router serves (the explorer's GET
  // /graphql), so a preflight must be handled before the routers see it.
  app.use("/graphql", cors({ origin: config.CORS_ORIGINS, credentials: true }));
  // A browser's GET /graphql is the schema explorer; its files and the documents listing beside it.
  app.use(
    explorerRoutes({ dir: config.EXPLORER_DIR, documents: trustedDocuments, identify, schemaOpenToAll }),
  );
  // The live on-sale demo page (web/demo), a client of /graphql like any other.
  app.use(demoRoutes(config.DEMO_DIR));

  app.use(
    "/graphql",
    // The public edge starts its own traces: a client's traceparent is not continued.
    serverSpans({ continueIncoming: false }),
    httpOperationTelemetry(operationNames),
    (req, res, next) => {
      // Before anything can refuse the request, so a refusal carries its id too.
      res.locals.requestId = requestIdOf(req);
      res.setHeader("x-request-id", res.locals.requestId as string);
      next();
    },
    stripInternalHeaders,
    express.json({ limit: "256kb" }),
    cookieParser(),
    httpEdgeHandler({
      edge,
      apollo: server,
      identify,
      context: (req, res, client, admitted) =>
        createGatewayContext(
          req,
          res,
          client.viewer,
          res.locals.requestId as string,
          contextSigner,
          admitted.schemaDetails,
        ),
      publicMaxAgeSeconds: config.GET_PUBLIC_MAX_AGE_SECONDS,
    }),
  );

  app.use(bodyErrorHandler);

  const subscriptions = serveGatewaySubscriptions({
    httpServer,
    planner: new SubscriptionPlanner(plannerSdl),
    upstream: new UpstreamPool({ urls: routeUrl, signer: contextSigner, logger }),
    serviceMap: Object.fromEntries(supergraph.routes.map((r) => [r.name, dataSource(r.name)])),
    accessTokens,
    signer: contextSigner,
    requirements,
    authorizationMode: config.AUTHORIZATION_MODE,
    apollo: server,
    logger,
    maxSubscriptionsPerConnection: config.MAX_SUBSCRIPTIONS_PER_CONNECTION,
    allowedOrigins: config.CORS_ORIGINS,
    edge,
    partnerKeys,
    addressOf,
  });

  await new Promise<void>((resolve) => httpServer.listen(config.PORT, config.HOST, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.HOST}:${port}/graphql`;
  logger.info({ url, metrics: metrics.url, subgraphs: supergraph.routes }, "gateway ready");
  return {
    url,
    port,
    async stop() {
      await subscriptions.drain();
      await server.stop();
      await metrics.stop();
      await usageFlush?.stop();
      await usage?.flush();
      redis?.disconnect();
    },
  };
}
