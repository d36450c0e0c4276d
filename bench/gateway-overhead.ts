/**
 * What the gateway costs on top of a subgraph: the same authenticated `me` query sent (a) through
 * the gateway (token verification, schema authorization, planning, context signing, HTTP hop) and
 * (b) straight to the auth subgraph with a pre-signed context (the ceiling), in one run, alternated
 * so machine noise hits both. Prints throughput, latency percentiles, memory and the ratio, and
 * writes a chart (per-second throughput and p50/p99 of every round; the best rounds' percentiles).
 *
 *   npm run bench -- gateway-overhead      (BENCH_SECONDS, BENCH_CONCURRENCY to change the load)
 */
import { importSigningKey, signContextToken } from "@urr/auth-tokens";
import { createTestDatabase, freePort, graphqlRequest } from "@urr/testkit";
import { ephemeralKeys } from "../scripts/lib/dev-keys.ts";
import { planStack, STATEFUL_SUBGRAPHS } from "../scripts/lib/stack.ts";
import { Supervisor } from "../scripts/lib/supervisor.ts";
import { machineLine, type PlacedRun, runsSeries, writeChart } from "./lib/chart-file.ts";
import { formatRow, type LoadResult, rssMiB, runLoad } from "./lib/load.ts";

const SECONDS = Number(process.env.BENCH_SECONDS || 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 32);
const ROUNDS = 2;

async function main(): Promise<void> {
  const databases = await Promise.all(STATEFUL_SUBGRAPHS.map((name) => createTestDatabase(name)));
  const database = { drop: () => Promise.all(databases.map((d) => d.drop())) };
  const keys = await ephemeralKeys();
  const plan = planStack({
    keys,
    databaseUrls: Object.fromEntries(STATEFUL_SUBGRAPHS.map((name, i) => [name, databases[i]?.url ?? ""])),
    redisUrl: process.env.REDIS_URL || "redis://127.0.0.1:6379",
    eventSecret: "bench-event-delivery-secret-0123456789abcdef",
    serviceSecret: "bench-internal-service-secret-0123456789abcdef",
    gatewayPort: await freePort(),
    subgraphPorts: Object.fromEntries(
      await Promise.all(
        ["auth", "catalog", "ticket", "payment", "queue"].map(async (n) => [n, await freePort()]),
      ),
    ),
    logLevel: "warn",
    demo: false,
    admin: { email: "admin@urr.bench", password: "admin-password-123" },
    extraEnv: {
      auth: { PASSWORD_HASH_LOG2N: "10" },
      // One user sends hundreds of requests a second: the per-user limit (3,000 a minute) would turn
      // the run into refusals. Raised, the limiter still counts each request, so its cost is measured.
      gateway: { RATE_LIMIT_GENERAL_PER_MINUTE: "100000000" },
    },
  });
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of the gateway there when it stops.
  if (process.env.BENCH_PROFILE)
    plan.gateway.nodeArgs = ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`];
  const supervisor = new Supervisor();
  try {
    const [auth] = await Promise.all(plan.subgraphs.map((s) => supervisor.start(s)));
    const gateway = await supervisor.start(plan.gateway);
    const subgraphUrl = `http://127.0.0.1:${plan.subgraphs.find((s) => s.name === "auth")?.env.PORT}/graphql`;

    const signIn = await graphqlRequest<{ register: { accessToken: string; user: { id: string } } }>(
      plan.gatewayUrl,
      `mutation { register(input: { email: "bench@urr.bench", password: "benchpass1", name: "Bench" }) { accessToken user { id } } }`,
    );
    const session = signIn.data?.register;
    if (!session) throw new Error(`sign-in failed: ${JSON.stringify(signIn.errors)}`);
    const contextKey = await importSigningKey(keys.context.privateKeyPem);
    // The direct path reuses one context token for the whole run (valid 60 s; refreshed per round).
    const contextFor = () =>
      signContextToken(
        { authenticated: true, userId: session.user.id, email: "bench@urr.bench", role: "USER" },
        contextKey,
      );

    const body = JSON.stringify({ query: "{ me { id name email role createdAt } }" });
    const isOk = (status: number, text: string) => status === 200 && text.includes('"me":{');
    const results: { gateway: LoadResult[]; direct: LoadResult[] } = { gateway: [], direct: [] };
    // Warm both paths (JIT, connection pools, query plan cache).
    await runLoad({
      url: plan.gatewayUrl,
      body,
      headers: { authorization: `Bearer ${session.accessToken}` },
      concurrency: 4,
      durationMs: 1500,
      isOk,
    });
    await runLoad({
      url: subgraphUrl,
      body,
      headers: { "x-urr-context": await contextFor() },
      concurrency: 4,
      durationMs: 1500,
      isOk,
    });

    let gatewayPeakRss = 0;
    for (let round = 0; round < ROUNDS; round++) {
      results.gateway.push(
        await runLoad({
          url: plan.gatewayUrl,
          body,
          headers: { authorization: `Bearer ${session.accessToken}` },
          concurrency: CONCURRENCY,
          durationMs: SECONDS * 1000,
          isOk,
        }),
      );
      gatewayPeakRss = Math.max(gatewayPeakRss, rssMiB(gateway.child.pid));
      results.direct.push(
        await runLoad({
          url: subgraphUrl,
          body,
          headers: { "x-urr-context": await contextFor() },
          concurrency: CONCURRENCY,
          durationMs: SECONDS * 1000,
          isOk,
        }),
      );
    }

    const best = (rs: LoadResult[]) => rs.reduce((a, b) => (b.throughput > a.throughput ? b : a));
    const g = best(results.gateway);
    const d = best(results.direct);
    console.log(
      `\ngateway overhead — authenticated { me } — ${CONCURRENCY} concurrent clients, ${ROUNDS} × ${SECONDS}s alternating, best round shown`,
    );
    console.log(formatRow("through the gateway", g));
    console.log(formatRow("direct to auth subgraph (ceiling)", d));
    console.log(
      `throughput ratio gateway/direct: ${(g.throughput / d.throughput).toFixed(2)}   p50 ratio: ${(g.p50 / d.p50).toFixed(2)}   p99 ratio: ${(g.p99 / d.p99).toFixed(2)}`,
    );
    console.log(
      `memory: gateway RSS ${gatewayPeakRss.toFixed(0)} MiB, auth subgraph RSS ${rssMiB(auth?.child.pid).toFixed(0)} MiB`,
    );
    chart(results, g, d);
    if (g.errors || d.errors) process.exitCode = 1;
  } finally {
    await supervisor.stopAll();
    await database.drop();
  }
}

/** Rounds in the order they ran (gateway, direct, gateway, …), placed on one clock. */
function placed(results: { gateway: LoadResult[]; direct: LoadResult[] }) {
  const runs = { gateway: [] as PlacedRun[], direct: [] as PlacedRun[] };
  let offsetSeconds = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const path of ["gateway", "direct"] as const) {
      const r = results[path][round];
      if (!r) continue;
      runs[path].push({ offsetSeconds, intervals: r.timeline ?? [] });
      offsetSeconds += r.seconds;
    }
  }
  return runs;
}

function chart(results: { gateway: LoadResult[]; direct: LoadResult[] }, g: LoadResult, d: LoadResult) {
  const runs = placed(results);
  const clock = { label: "time into the measured rounds", unit: "s" };
  const ratio = (a: number, b: number) => `× ${(a / b).toFixed(2)}`;
  writeChart("gateway-overhead", {
    title: `Gateway overhead — authenticated { me }, ${CONCURRENCY} concurrent clients`,
    context: [
      machineLine(),
      `${ROUNDS} × ${SECONDS} s per path, alternating; best rounds: gateway/direct throughput ${(g.throughput / d.throughput).toFixed(2)}, p50 ${(g.p50 / d.p50).toFixed(2)}, p99 ${(g.p99 / d.p99).toFixed(2)}; errors ${g.errors}/${g.requests} and ${d.errors}/${d.requests}`,
    ],
    panels: [
      {
        kind: "line",
        title: "Throughput per second (dashed: straight to the auth subgraph, the ceiling)",
        x: clock,
        y: { label: "throughput", unit: "req/s" },
        series: [
          runsSeries("through the gateway", runs.gateway, (i) => i.throughput),
          runsSeries("direct to auth", runs.direct, (i) => i.throughput, { baseline: true }),
        ],
      },
      {
        kind: "line",
        title: "Latency per second",
        x: clock,
        y: { label: "latency", unit: "ms" },
        series: [
          runsSeries("gateway p50", runs.gateway, (i) => i.p50, { colour: 0 }),
          runsSeries("gateway p99", runs.gateway, (i) => i.p99, { colour: 1 }),
          runsSeries("direct p50", runs.direct, (i) => i.p50, { baseline: true, colour: 0 }),
          runsSeries("direct p99", runs.direct, (i) => i.p99, { baseline: true, colour: 1 }),
        ],
      },
      {
        kind: "bar",
        title: "Latency of the best rounds (under each: gateway/direct)",
        y: { label: "latency", unit: "ms" },
        groups: ["p50", "p90", "p99"],
        series: [
          { name: "through the gateway", values: [g.p50, g.p90, g.p99] },
          { name: "direct to auth (ceiling)", values: [d.p50, d.p90, d.p99], baseline: true },
        ],
        notes: [ratio(g.p50, d.p50), ratio(g.p90, d.p90), ratio(g.p99, d.p99)],
      },
    ],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
