import { randomUUID } from "node:crypto";
import { importSigningKey, signAccessToken } from "@urr/auth-tokens";
import { createTestDatabase, freePort, freePorts, graphqlRequest, type TestDatabase } from "@urr/testkit";
import { ephemeralKeys } from "../../scripts/lib/dev-keys.ts";
import { planStack, STATEFUL_SUBGRAPHS, type StackPlan, subgraphNames } from "../../scripts/lib/stack.ts";
import { type RunningService, Supervisor } from "../../scripts/lib/supervisor.ts";
import { UNTHROTTLED } from "../../test/e2e/support/stack.ts";

// biome-ignore lint/suspicious/noExplicitAny: benchmarks read responses ad hoc
type AnyData = Record<string, any>;

export interface BenchStack {
  plan: StackPlan;
  databases: TestDatabase[];
  gateway: RunningService;
  /** Every service by name (`gateway`, `catalog`, …), for their process ids. */
  services: ReadonlyMap<string, RunningService>;
  /** A GraphQL call through the gateway that throws on errors. */
  gql(query: string, variables: Record<string, unknown>, token?: string): Promise<AnyData>;
  /** Access tokens signed with the auth key (sign-in itself is not what benchmarks measure). */
  tokenFor(userId: string, role: "USER" | "ADMIN"): Promise<string>;
  adminToken: string;
  /** An event on sale now, known to the catalog (ticket and queue learn it from catalog-events). */
  publishEvent(title: string, venue: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The whole supergraph as `npm start` runs it, on fresh PostgreSQL databases and the local Redis,
 * on free ports, quiet logs.
 */
export async function startBenchStack(options: {
  extraEnv?: Record<string, Record<string, string>>;
  /** Adds Node flags (a CPU profile, say) to one service. */
  nodeArgs?: { service: string; args: string[] };
}): Promise<BenchStack> {
  const databases = await Promise.all(STATEFUL_SUBGRAPHS.map((n) => createTestDatabase(n)));
  const keys = await ephemeralKeys();
  const ports = await freePorts(subgraphNames().map((s) => s.name));
  const plan = planStack({
    keys,
    databaseUrls: Object.fromEntries(STATEFUL_SUBGRAPHS.map((n, i) => [n, databases[i]?.url ?? ""])),
    gatewayPort: await freePort(),
    subgraphPorts: ports,
    redisUrl: process.env.REDIS_URL || "redis://127.0.0.1:6379",
    redisKeyPrefix: `bench:${randomUUID()}:`,
    eventSecret: "bench-event-delivery-secret-0123456789abcdef",
    serviceSecret: "bench-internal-service-secret-0123456789abcdef",
    logLevel: "warn",
    demo: false,
    admin: { email: "admin@urr.bench", password: "admin-password-123" },
    extraEnv: {
      ...options.extraEnv,
      auth: { PASSWORD_HASH_LOG2N: "10", ...options.extraEnv?.auth },
      // A bench is a crowd from one address: what it measures is the system, not the rate limits.
      gateway: { ...UNTHROTTLED, ...options.extraEnv?.gateway },
    },
  });
  const profiled = [...plan.subgraphs, plan.gateway].find((s) => s.name === options.nodeArgs?.service);
  if (profiled && options.nodeArgs) profiled.nodeArgs = options.nodeArgs.args;
  const supervisor = new Supervisor();
  const stop = async () => {
    await supervisor.stopAll();
    await Promise.all(databases.map((d) => d.drop()));
  };
  try {
    const services = new Map<string, RunningService>();
    for (const spec of plan.subgraphs) services.set(spec.name, await supervisor.start(spec));
    const gateway = await supervisor.start(plan.gateway);
    services.set(plan.gateway.name, gateway);
    const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const res = await graphqlRequest<AnyData>(
        plan.gatewayUrl,
        query,
        variables,
        token ? { headers: { authorization: `Bearer ${token}` } } : {},
      );
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data ?? {};
    };
    const accessKey = await importSigningKey(keys.access.privateKeyPem);
    const tokenFor = async (userId: string, role: "USER" | "ADMIN") =>
      (await signAccessToken({ userId, email: `${userId}@urr.bench`, role }, accessKey, 3600)).token;
    const adminToken = await tokenFor(randomUUID(), "ADMIN");
    const day = 86_400_000;
    const publishEvent = async (title: string, venue: string) => {
      const artist = await gql(
        `mutation { createArtist(input: { name: "${title} Artist" }) { id } }`,
        {},
        adminToken,
      );
      const event = await gql(
        "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
        {
          i: {
            artistId: artist.createArtist.id,
            title,
            venue,
            startsAt: new Date(Date.now() + 30 * day).toISOString(),
            saleStartsAt: new Date(Date.now() - day).toISOString(),
            saleEndsAt: new Date(Date.now() + 29 * day).toISOString(),
          },
        },
        adminToken,
      );
      return event.createEvent.id as string;
    };
    return { plan, databases, gateway, services, gql, tokenFor, adminToken, publishEvent, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Retries `attempt` until it stops throwing (an event still travelling to a subgraph). */
export async function untilAccepted<T>(attempt: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
