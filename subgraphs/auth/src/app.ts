import { readFileSync } from "node:fs";
import path from "node:path";
import { importSigningKey, importVerifyingKey } from "@urr/auth-tokens";
import { openSubgraphDatabase } from "@urr/db";
import { startEventBackbone } from "@urr/events";
import { startPeriodicJob } from "@urr/jobs";
import type { Logger } from "@urr/logger";
import { operationLimitsFromConfig } from "@urr/operation-limits";
import { ConcurrencyGate, type RunningSubgraph, startSubgraph } from "@urr/subgraph-kit";
import { parse } from "graphql";
import type { AuthConfig } from "./config.ts";
import { type AuthContext, createLoaders } from "./context.ts";
import { seedDemoUsers } from "./demo-seed.ts";
import { ApiKeyService } from "./domain/api-key.service.ts";
import { AuthService } from "./domain/auth.service.ts";
import { GoogleIdTokenVerifier } from "./domain/google-id-token.ts";
import { PasswordHasher } from "./domain/password.ts";
import { TokenIssuer } from "./domain/token-issuer.ts";
import { AuthCookies } from "./http/auth-cookies.ts";
import { mountInternalApiKeys } from "./http/internal-api-keys.ts";
import { AuthStore } from "./repositories/auth-store.ts";
import { createPrismaClient } from "./repositories/prisma.ts";
import { resolvers } from "./resolvers/index.ts";

const ROOT = path.resolve(__dirname, "../../..");
export const AUTH_SCHEMA_PATH = path.resolve(__dirname, "../schema.graphql");
export const AUTH_PRISMA_DIR = path.join(ROOT, "prisma/auth");

const HOUR_MS = 60 * 60 * 1000;

export interface AuthApp {
  subgraph: RunningSubgraph;
  service: AuthService;
  apiKeys: ApiKeyService;
  stop(): Promise<void>;
}

/** Wires the auth subgraph from its configuration: database, migrations, services, HTTP server. */
export async function startAuthApp(config: AuthConfig, logger: Logger): Promise<AuthApp> {
  const database = await openSubgraphDatabase(config, { root: ROOT, prismaDir: AUTH_PRISMA_DIR }, logger);

  const prisma = createPrismaClient(database);
  const store = new AuthStore(prisma);
  const service = new AuthService({
    store,
    tokens: new TokenIssuer(await importSigningKey(config.ACCESS_TOKEN_PRIVATE_KEY), {
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    }),
    google: new GoogleIdTokenVerifier({
      clientIds: config.GOOGLE_CLIENT_IDS,
      jwksUrl: config.GOOGLE_JWKS_URL,
      issuers: config.GOOGLE_ISSUERS,
    }),
    passwords: new PasswordHasher(
      { log2N: config.PASSWORD_HASH_LOG2N, r: 8, p: 1 },
      new ConcurrencyGate({
        name: "sign-in",
        concurrency: config.PASSWORD_HASH_CONCURRENCY,
        maxQueue: config.PASSWORD_HASH_QUEUE_LIMIT,
        maxWaitMs: config.PASSWORD_HASH_QUEUE_TIMEOUT_MS,
      }),
    ),
    logger,
  });

  const apiKeys = new ApiKeyService({ store, logger });
  const usageBatchPruner = startPeriodicJob({
    name: "usage batch pruner",
    intervalMs: HOUR_MS,
    run: () => apiKeys.pruneUsageBatches(config.USAGE_BATCH_RETENTION_DAYS * 24 * HOUR_MS),
    logger,
    failureLevel: "warn",
  });

  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    const outcome = await service.ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
    logger.info({ email: config.ADMIN_EMAIL, outcome }, "admin account");
  }
  if (config.SEED_DEMO_USERS) await seedDemoUsers(service, logger);

  // Auth consumes no topic; its outbox carries the audit entries of admins' API key changes.
  const backbone = await startEventBackbone({ service: "auth", config, logger, outbox: prisma });

  const authCookies = new AuthCookies({
    secure: config.COOKIE_SECURE,
    sameSite: config.COOKIE_SAME_SITE,
    domain: config.COOKIE_DOMAIN,
  });

  const subgraph = await startSubgraph<AuthContext>({
    name: "auth",
    typeDefs: parse(readFileSync(AUTH_SCHEMA_PATH, "utf8")),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    logger,
    contextVerifyingKey: await importVerifyingKey(config.CONTEXT_TOKEN_PUBLIC_KEY),
    operationLimits: operationLimitsFromConfig(config),
    buildContext: (base) => ({
      ...base,
      auth: service,
      apiKeys,
      authCookies,
      loaders: createLoaders(store.repos.users, apiKeys),
      signedIn: new Set(),
    }),
    readiness: () => database.ping(),
    routes: (app) => {
      if (config.INTERNAL_API_SECRET)
        mountInternalApiKeys(app, { secret: config.INTERNAL_API_SECRET, apiKeys, logger });
    },
  });
  if (!config.INTERNAL_API_SECRET)
    logger.warn("INTERNAL_API_SECRET is not set: the gateway cannot resolve partner API keys");

  return {
    subgraph,
    service,
    apiKeys,
    async stop() {
      await usageBatchPruner.stop();
      await subgraph.stop();
      await backbone.stop();
      await prisma.$disconnect();
      await database.close();
    },
  };
}
