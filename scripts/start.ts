/**
 * `npm start`: the whole supergraph in one command.
 *
 * Embedded (default): every stateful subgraph keeps its data in PGlite under .urr/data, demo data is
 * seeded, signing keys are generated once under .urr/keys. Services mode: set <NAME>_DATABASE_URL
 * (for example AUTH_DATABASE_URL) to use real PostgreSQL for that subgraph. PORT moves the gateway,
 * <NAME>_PORT a subgraph (defaults: supergraph.yaml's routing URLs).
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { ROOT } from "./lib/composition.ts";
import { devKeys } from "./lib/dev-keys.ts";
import { planStack } from "./lib/stack.ts";
import { Supervisor } from "./lib/supervisor.ts";

const DATA_DIR = process.env.URR_DATA_DIR || ".urr";
const ADMIN = {
  email: process.env.ADMIN_EMAIL || "admin@urr.local",
  password: process.env.ADMIN_PASSWORD || "urr-admin-1234",
};

/** `<NAME>_<SUFFIX>` variables by subgraph name, e.g. AUTH_DATABASE_URL → { auth: "…" }. */
function perSubgraph(suffix: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    const match = new RegExp(`^([A-Z]+)_${suffix}$`).exec(key);
    if (match?.[1] && value) values[match[1].toLowerCase()] = value;
  }
  return values;
}

async function main(): Promise<void> {
  const databaseUrls = perSubgraph("DATABASE_URL");
  const subgraphPorts = Object.fromEntries(
    Object.entries(perSubgraph("PORT")).map(([name, port]) => [name, Number(port)]),
  );
  const plan = planStack({
    keys: await devKeys(path.resolve(ROOT, DATA_DIR, "keys")),
    dataDir: path.join(DATA_DIR, "data"),
    databaseUrls,
    gatewayPort: Number(process.env.PORT || 4000),
    subgraphPorts,
    logLevel: process.env.LOG_LEVEL || "info",
    demo: process.env.SEED_DEMO_DATA !== "false",
    ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
    eventSecret: randomBytes(32).toString("hex"),
    serviceSecret: randomBytes(32).toString("hex"),
    ...(process.env.KAFKA_BROKERS ? { kafkaBrokers: process.env.KAFKA_BROKERS } : {}),
    admin: ADMIN,
  });
  const supervisor = new Supervisor({ echo: true, readyTimeoutMs: 120_000 });
  const shutdown = async (code: number) => {
    await supervisor.stopAll();
    process.exit(code);
  };
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));

  try {
    await Promise.all(plan.subgraphs.map((spec) => supervisor.start(spec)));
    await supervisor.start(plan.gateway);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await shutdown(1);
    return;
  }

  const locks = process.env.REDIS_URL
    ? `Redis at ${process.env.REDIS_URL}`
    : "in-process (single ticket instance)";
  const mode = Object.keys(databaseUrls).length
    ? `PostgreSQL for ${Object.keys(databaseUrls).join(", ")}`
    : "embedded PGlite";
  console.log(
    [
      "",
      "  URR Supergraph is running",
      `  GraphQL endpoint   ${plan.gatewayUrl}`,
      `  Subscriptions      ${plan.gatewayUrl.replace(/^http/, "ws")} (graphql-ws, same path)`,
      `  Health / ready     http://127.0.0.1:${plan.gateway.env.PORT}/health  /ready`,
      ...plan.subgraphs.map(
        (s) =>
          `  subgraph ${s.name.padEnd(9)} http://127.0.0.1:${s.env.PORT}/graphql (gateway-signed requests only)`,
      ),
      `  Data               ${mode}`,
      `  Seat locks         ${locks}`,
      `  Waiting room       ${process.env.REDIS_URL ? "Redis" : "in-process (single queue instance)"}; admission every second`,
      `  Events             ${process.env.KAFKA_BROKERS ? `Kafka at ${process.env.KAFKA_BROKERS}` : "outbox relays → signed HTTP between the processes"}`,
      '  Payments           simulated provider (a paymentKey starting with "decline" is refused)',
      `  Admin              ${ADMIN.email} / ${ADMIN.password}`,
      "  Demo fans          fan1@urr.local, fan2@urr.local / urr-demo-1234",
      "  Stop with Ctrl+C",
      "",
    ].join("\n"),
  );

  const crashed = await supervisor.firstExit();
  console.error(`${crashed.spec.name} exited unexpectedly (code ${crashed.child.exitCode}); stopping`);
  await shutdown(1);
}

void main();
