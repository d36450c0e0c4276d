import { readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { ROOT, SUPERGRAPH_CONFIG } from "./composition.ts";
import type { ServiceKeys } from "./dev-keys.ts";
import type { ServiceSpec } from "./supervisor.ts";

/** Subgraphs that keep state in PostgreSQL (each has prisma/<name>/). */
export const STATEFUL_SUBGRAPHS = ["auth", "catalog", "ticket", "payment", "stats", "community"] as const;

/** Who consumes which topic: in HTTP mode each producer's relay delivers there (see @urr/events). */
const CONSUMERS: Record<string, string[]> = {
  "catalog-events": ["ticket", "queue"],
  "payment-events": ["ticket", "stats"],
  "reservation-events": ["catalog", "payment", "queue", "stats"],
  "membership-events": ["queue", "stats", "community"],
  "transfer-events": ["payment", "stats"],
  "queue-events": ["stats"],
  "audit-events": ["catalog"],
};
const STATEFUL = new Set<string>(STATEFUL_SUBGRAPHS);
/** Subgraphs that produce or consume domain events (queue keeps its state and outbox in Redis). */
const ON_BACKBONE = new Set<string>([...STATEFUL_SUBGRAPHS, "queue"]);

export interface StackOptions {
  keys: ServiceKeys;
  /**
   * Embedded data lives here (PGlite directories, posters), relative to the repository root or
   * absolute. Without it every stateful subgraph needs a URL: a stack never picks a place for a
   * database on its own (a benchmark once left one in the repository).
   */
  dataDir?: string;
  /** Per-subgraph PostgreSQL URLs; a stateful subgraph without one uses PGlite under `dataDir`. */
  databaseUrls: Record<string, string>;
  gatewayPort: number;
  /** Subgraph ports; defaults to the ports of supergraph.yaml's routing URLs. */
  subgraphPorts?: Record<string, number>;
  logLevel?: string;
  /** Seed demo users and data (embedded `npm start`). */
  demo: boolean;
  admin: { email: string; password: string };
  /** Real Redis for seat locks, the waiting room and live updates; unset means in-process (embedded). */
  redisUrl?: string;
  /** Keeps this stack's waiting rooms apart from other stacks on the same Redis (tests, benchmarks). */
  redisKeyPrefix?: string;
  /** Signs event deliveries between subgraphs when Kafka is not used. */
  eventSecret: string;
  /** Signs service tokens on internal routes (payment → ticket, queue → catalog and ticket). */
  serviceSecret: string;
  /** Kafka brokers for domain events; unset = signed HTTP between subgraphs. */
  kafkaBrokers?: string;
  /** The built schema explorer the gateway serves (EXPLORER_DIR); it may appear after the start. */
  explorerDir?: string;
  /** The built live on-sale demo the gateway serves at /demo (DEMO_DIR); it may appear after the start. */
  demoDir?: string;
  /** Extra environment per service name (tests lower the password hash cost, for example). */
  extraEnv?: Record<string, Record<string, string>>;
}

export interface StackPlan {
  subgraphs: ServiceSpec[];
  gateway: ServiceSpec;
  gatewayUrl: string;
}

/** The subgraphs of supergraph.yaml and the ports of their routing URLs, in the file's order. */
export function subgraphNames(): { name: string; port: number }[] {
  const config = YAML.parse(readFileSync(SUPERGRAPH_CONFIG, "utf8")) as {
    subgraphs: Record<string, { routing_url: string }>;
  };
  return Object.entries(config.subgraphs).map(([name, s]) => ({
    name,
    port: Number(new URL(s.routing_url).port),
  }));
}

/** Kafka when configured; otherwise each relay POSTs its topics to the consumers' /internal/events. */
function backboneEnv(
  name: string,
  options: StackOptions,
  portOf: (name: string) => number,
): Record<string, string> {
  if (options.kafkaBrokers) return { KAFKA_BROKERS: options.kafkaBrokers };
  const subscribers = Object.entries(CONSUMERS).flatMap(([topic, consumers]) =>
    consumers.filter((c) => c !== name).map((c) => `${topic}=http://127.0.0.1:${portOf(c)}/internal/events`),
  );
  return { EVENT_SUBSCRIBERS: subscribers.join(","), EVENT_DELIVERY_SECRET: options.eventSecret };
}

/** Where a stateful subgraph keeps its data: its PostgreSQL URL, or PGlite under the data directory. */
function databaseEnv(name: string, options: StackOptions): Record<string, string> {
  const url = options.databaseUrls[name];
  if (url) return { DATABASE_URL: url };
  if (options.dataDir) return { PGLITE_DATA_DIR: path.resolve(ROOT, options.dataDir, name) };
  throw new Error(`subgraph ${name} keeps state but has neither a database URL nor a data directory`);
}

/** The processes of the whole supergraph and their environment, for one run. */
export function planStack(options: StackOptions): StackPlan {
  const logLevel = options.logLevel ?? "info";
  const names = subgraphNames();
  const portOf = (name: string) =>
    options.subgraphPorts?.[name] ?? names.find((n) => n.name === name)?.port ?? 0;
  const subgraphs = names.map(({ name }): ServiceSpec => {
    const port = portOf(name);
    const env: Record<string, string> = {
      PORT: String(port),
      LOG_LEVEL: logLevel,
      CONTEXT_TOKEN_PUBLIC_KEY: options.keys.context.publicKeyPem,
    };
    if (STATEFUL.has(name)) Object.assign(env, databaseEnv(name, options));
    if (ON_BACKBONE.has(name)) Object.assign(env, backboneEnv(name, options, portOf));
    if (name === "auth") {
      env.ACCESS_TOKEN_PRIVATE_KEY = options.keys.access.privateKeyPem;
      env.ADMIN_EMAIL = options.admin.email;
      env.ADMIN_PASSWORD = options.admin.password;
      env.SEED_DEMO_USERS = String(options.demo);
      env.INTERNAL_API_SECRET = options.serviceSecret;
    }
    if (name === "catalog") {
      env.SEED_DEMO_CATALOG = String(options.demo);
      if (options.dataDir) env.POSTER_DIR = path.resolve(ROOT, options.dataDir, "..", "media");
      env.INTERNAL_API_SECRET = options.serviceSecret;
    }
    if (name === "ticket") {
      env.SEED_DEMO_SEATING = String(options.demo);
      env.INTERNAL_API_SECRET = options.serviceSecret;
      env.TICKET_CODE_PRIVATE_KEY = options.keys.ticketCodes.privateKeyPem;
      env.ENTRY_TOKEN_PUBLIC_KEY = options.keys.entry.publicKeyPem;
      if (options.redisUrl) env.REDIS_URL = options.redisUrl;
    }
    if (name === "queue") {
      env.ENTRY_TOKEN_PRIVATE_KEY = options.keys.entry.privateKeyPem;
      if (options.redisUrl) env.REDIS_URL = options.redisUrl;
      if (options.redisKeyPrefix) env.REDIS_KEY_PREFIX = options.redisKeyPrefix;
      env.INTERNAL_API_SECRET = options.serviceSecret;
      env.CATALOG_INTERNAL_URL = `http://127.0.0.1:${portOf("catalog")}`;
      env.TICKET_INTERNAL_URL = `http://127.0.0.1:${portOf("ticket")}`;
    }
    if (name === "stats" && options.redisUrl) env.REDIS_URL = options.redisUrl;
    if (name === "payment") {
      env.PAYMENT_PROVIDER = "simulated";
      env.INTERNAL_API_SECRET = options.serviceSecret;
      env.TICKET_INTERNAL_URL = `http://127.0.0.1:${portOf("ticket")}`;
    }
    Object.assign(env, options.extraEnv?.[name] ?? {});
    return { name, entry: `subgraphs/${name}/src/main.ts`, env, readyUrl: `http://127.0.0.1:${port}/ready` };
  });

  const subgraphUrls = Object.fromEntries(
    subgraphs.map((s) => [`SUBGRAPH_${s.name.toUpperCase()}_URL`, `http://127.0.0.1:${s.env.PORT}/graphql`]),
  );
  const gateway: ServiceSpec = {
    name: "gateway",
    entry: "gateway/src/main.ts",
    env: {
      PORT: String(options.gatewayPort),
      LOG_LEVEL: logLevel,
      SUPERGRAPH_PATH: path.join(ROOT, "supergraph.graphql"),
      ACCESS_TOKEN_PUBLIC_KEY: options.keys.access.publicKeyPem,
      CONTEXT_TOKEN_PRIVATE_KEY: options.keys.context.privateKeyPem,
      INTERNAL_API_SECRET: options.serviceSecret,
      AUTH_INTERNAL_URL: `http://127.0.0.1:${portOf("auth")}`,
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      ...(options.redisKeyPrefix ? { REDIS_KEY_PREFIX: options.redisKeyPrefix } : {}),
      ...(options.explorerDir ? { EXPLORER_DIR: options.explorerDir } : {}),
      ...(options.demoDir ? { DEMO_DIR: options.demoDir } : {}),
      ...subgraphUrls,
      ...(options.extraEnv?.gateway ?? {}),
    },
    readyUrl: `http://127.0.0.1:${options.gatewayPort}/ready`,
  };
  return { subgraphs, gateway, gatewayUrl: `http://127.0.0.1:${options.gatewayPort}/graphql` };
}
