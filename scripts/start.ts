/**
 * `npm start`: the whole supergraph in one command.
 *
 * Embedded (default): every stateful subgraph keeps its data in PGlite under .urr/data, demo data is
 * seeded, signing keys are generated once under .urr/keys. Services mode: set <NAME>_DATABASE_URL
 * (for example AUTH_DATABASE_URL) to use real PostgreSQL for that subgraph. PORT moves the gateway,
 * <NAME>_PORT a subgraph (defaults: supergraph.yaml's routing URLs).
 *
 * Start-up: the services run from esbuild bundles under .urr/build (rebuilt when a source changes;
 * URR_BUNDLE=false runs their TypeScript through tsx instead) with a V8 code cache of their npm
 * dependencies under .urr/cache/v8 (scripts/lib/compile-cache.ts; URR_COMPILE_CACHE=false goes
 * without), and new PGlite clusters are copies of one initdb cached under .urr/cache.
 * URR_CPU_PROFILE_DIR=<dir> has every service write a CPU profile there when it stops. URR_CACHE_DIR moves both (it must stay inside the
 * repository, where the bundles find node_modules).
 *
 * The schema explorer (web/explorer, served by the gateway at /graphql to a browser) and the live
 * on-sale demo (web/demo, at /demo) are built with Vite into .urr/web once per source state, after
 * everything is ready and at low priority, one after the other, so they never delay the first
 * answer; until a page is there the gateway shows a page that says so.
 */
// First: a first start's initdb begins before the rest of this script is loaded (see the file).
import "./lib/first-start.ts";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { type BuildReport, buildServices } from "./lib/build.ts";
import { ROOT } from "./lib/composition.ts";
import { seedDemoNews } from "./lib/demo-news.ts";
import { devKeys } from "./lib/dev-keys.ts";
import { createMissingClusters } from "./lib/embedded-clusters.ts";
import { planStack } from "./lib/stack.ts";
import { Supervisor } from "./lib/supervisor.ts";
import { buildWebPage, type WebBuildPlace, webBuildPlace } from "./lib/web-build.ts";

const DATA_DIR = process.env.URR_DATA_DIR || ".urr";
/** Started ahead of the others: what the first request of a client (the event list) needs. */
const LEADING_SUBGRAPHS = new Set(["catalog"]);
const CACHE_DIR = path.resolve(ROOT, process.env.URR_CACHE_DIR || ".urr");
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

/** Start-up timings, printed before the banner (where the seconds of a start go). */
const startedAt = performance.now();
const since = (from = startedAt) => `${((performance.now() - from) / 1000).toFixed(1)} s`;

/** Demo users and data in an empty data directory (SEED_DEMO_DATA=false: none). */
const seedDemo = process.env.SEED_DEMO_DATA !== "false";

async function main(): Promise<void> {
  const webBuilds = { outRoot: path.join(CACHE_DIR, "web") };
  const explorer = await webBuildPlace("explorer", webBuilds).catch((error: unknown) => {
    console.error(`no schema explorer: ${error instanceof Error ? error.message : error}`);
    return undefined;
  });
  const demo = await webBuildPlace("demo", webBuilds).catch((error: unknown) => {
    console.error(`no demo page: ${error instanceof Error ? error.message : error}`);
    return undefined;
  });
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
    demo: seedDemo,
    ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
    eventSecret: randomBytes(32).toString("hex"),
    serviceSecret: randomBytes(32).toString("hex"),
    ...(process.env.KAFKA_BROKERS ? { kafkaBrokers: process.env.KAFKA_BROKERS } : {}),
    admin: ADMIN,
    ...(explorer ? { explorerDir: explorer.outDir } : {}),
    ...(demo ? { demoDir: demo.outDir } : {}),
  });
  const embedded = plan.subgraphs.filter((spec) => spec.env.PGLITE_DATA_DIR);
  // URR_CPU_PROFILE_DIR=<dir>: every service writes a V8 CPU profile there when it stops (where a
  // start's CPU goes; open the .cpuprofile files in Chrome's DevTools).
  const profileDir = process.env.URR_CPU_PROFILE_DIR;
  if (profileDir) {
    for (const spec of [...plan.subgraphs, plan.gateway]) {
      spec.nodeArgs = [
        "--cpu-prof",
        `--cpu-prof-dir=${path.resolve(profileDir)}`,
        `--cpu-prof-name=${spec.name}.cpuprofile`,
      ];
    }
  }
  // New PGlite clusters are copies of one cached initdb, made while esbuild compiles.
  const clusters = createMissingClusters(
    embedded.map((spec) => spec.env.PGLITE_DATA_DIR as string),
    path.join(CACHE_DIR, "cache"),
  ).then(({ created, ranInitdb }) => {
    if (!created.length) return;
    const source = ranInitdb ? "one initdb" : "the cached initdb";
    console.log(`[start] ${created.length} PGlite clusters created from ${source} at ${since()}`);
  });
  clusters.catch(() => {}); // awaited below
  const build = await compileServices([...plan.subgraphs.map((s) => s.entry), plan.gateway.entry]);
  const supervisor = new Supervisor({
    echo: true,
    readyTimeoutMs: 120_000,
    ...(build
      ? {
          compiled: build.entries,
          ...(process.env.URR_COMPILE_CACHE !== "false"
            ? { compileCache: { preload: build.compileCache, dir: path.join(CACHE_DIR, "cache", "v8") } }
            : {}),
        }
      : {}),
  });
  const stopBuilds = new AbortController();
  let stopping = false;
  const shutdown = async (code: number) => {
    stopping = true;
    stopBuilds.abort();
    await supervisor.stopAll();
    process.exit(code);
  };
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));

  try {
    // The first thing a client asks is the event list (catalog, through the gateway), so the
    // gateway and catalog start first with the two cores to themselves (the gateway answers as
    // soon as the subgraphs a query needs are up; its /ready waits for all of them), and the other
    // subgraphs once catalog is ready. Started all at once, seven processes shared the cores and
    // catalog answered only when the slowest was nearly done. An embedded subgraph also waits for
    // its cluster. While a first start runs initdb (single-threaded WebAssembly, the longest step
    // before catalog can open its database) the gateway waits too: started beside it, it took the
    // second core from esbuild and stretched initdb, and catalog, not the gateway, was the last to
    // be ready for the first answer.
    const gateway = clusters.then(() => supervisor.start(plan.gateway));
    gateway.catch(() => {}); // awaited below
    const leading = plan.subgraphs.filter((spec) => LEADING_SUBGRAPHS.has(spec.name));
    const startSubgraph = async (spec: (typeof plan.subgraphs)[number]) => {
      if (embedded.includes(spec)) await clusters;
      return supervisor.start(spec);
    };
    await Promise.all(leading.map(startSubgraph));
    console.log(`[start] ${leading.map((spec) => spec.name).join(", ")} ready at ${since()}`);
    await Promise.all([
      gateway,
      ...plan.subgraphs.filter((spec) => !leading.includes(spec)).map(startSubgraph),
    ]);
    console.log(`[start] everything ready at ${since()}`);
    if (seedDemo) writeDemoNewsInBackground(plan.gatewayUrl);
    // The demo first: it takes a second, the explorer (Monaco) much longer.
    buildPagesInBackground(
      [
        ...(demo ? [{ place: demo, what: "demo page" }] : []),
        ...(explorer ? [{ place: explorer, what: "schema explorer" }] : []),
      ],
      { ...webBuilds, signal: stopBuilds.signal },
    );
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
      `  Schema explorer    ${explorer ? `${plan.gatewayUrl} in a browser (GraphiQL)` : "not available (see above)"}`,
      `  Live on-sale demo  ${demo ? plan.gatewayUrl.replace(/\/graphql$/, "/demo") : "not available (see above)"}`,
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
  // Ctrl+C reaches every process of the terminal's group, so services end on their own then.
  if (stopping) return;
  const { exitCode, signalCode } = crashed.child;
  console.error(
    `${crashed.spec.name} exited unexpectedly (${signalCode ? `signal ${signalCode}` : `code ${exitCode}`}); stopping`,
  );
  await shutdown(1);
}

/** The demo's news, once every service is up (it signs in, so it waits for auth and community). */
function writeDemoNewsInBackground(gatewayUrl: string): void {
  seedDemoNews(gatewayUrl, ADMIN).then(
    (written) => {
      if (written) console.log(`[start] demo news written (${written} items)`);
    },
    (error: unknown) =>
      console.error(`the demo news could not be written: ${error instanceof Error ? error.message : error}`),
  );
}

/** Builds the pages one after the other; the gateway serves each as soon as its directory appears. */
function buildPagesInBackground(
  pages: readonly { place: WebBuildPlace; what: string }[],
  options: Parameters<typeof buildWebPage>[1],
): void {
  void (async () => {
    for (const { place, what } of pages) {
      try {
        const build = await buildWebPage(place.page, options);
        if (build.built) console.log(`[start] ${what} built in ${build.seconds.toFixed(1)} s`);
      } catch (error) {
        if (options?.signal?.aborted) return;
        console.error(`the ${what} could not be built: ${error instanceof Error ? error.message : error}`);
      }
    }
  })();
}

/** Bundles for the services; if compiling fails, say why and run the TypeScript through tsx. */
async function compileServices(entries: string[]): Promise<BuildReport | undefined> {
  if (process.env.URR_BUNDLE === "false") return undefined;
  const began = performance.now();
  try {
    const build = await buildServices(entries, { outRoot: path.join(CACHE_DIR, "build") });
    console.log(
      `[start] services ${build.built ? "compiled" : "unchanged since the last build"} in ${since(began)}`,
    );
    return build;
  } catch (error) {
    console.error(
      `could not bundle the services, running them through tsx: ${error instanceof Error ? error.message : error}`,
    );
    return undefined;
  }
}

void main();
