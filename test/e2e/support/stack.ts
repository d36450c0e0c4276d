import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CookieJar,
  createTestDatabase,
  freePort,
  freePorts,
  type GraphQLResponse,
  graphqlRequest,
  type TestDatabase,
} from "@urr/testkit";
import { buildServices } from "../../../scripts/lib/build.ts";
import { ROOT } from "../../../scripts/lib/composition.ts";
import { ephemeralKeys } from "../../../scripts/lib/dev-keys.ts";
import { planStack, STATEFUL_SUBGRAPHS, type StackPlan, subgraphNames } from "../../../scripts/lib/stack.ts";
import { Supervisor, type SupervisorOptions } from "../../../scripts/lib/supervisor.ts";

/**
 * The e2e tests drive crowds from one address (hundreds of sign-ins, joins and holds in seconds):
 * the per-category rate limits are raised for them, except in the tests of the limits themselves,
 * which pass their own RATE_LIMIT_* values.
 */
export const UNTHROTTLED: Record<string, string> = {
  RATE_LIMIT_AUTH_PER_MINUTE: "1000000",
  RATE_LIMIT_QUEUE_PER_MINUTE: "1000000",
  RATE_LIMIT_BOOKING_PER_MINUTE: "1000000",
  RATE_LIMIT_COMMUNITY_PER_MINUTE: "1000000",
  RATE_LIMIT_GENERAL_PER_MINUTE: "1000000",
};
/** The supergraph as real processes on free ports, each stateful subgraph on a fresh database. */
export interface E2EStack {
  plan: StackPlan;
  gatewayUrl: string;
  subgraphUrl(name: string): string;
  /** Kills one service, as a crash would. */
  kill(name: string): Promise<void>;
  /** Starts a killed service again with the same environment (and database). */
  restart(name: string): Promise<void>;
  /** Stops a service the way an orchestrator does (SIGTERM: it drains first). */
  shutdown(name: string): Promise<void>;
  /** Another instance of a service on a free port (same environment plus `env`); returns its URL. */
  startReplica(name: string, replicaName: string, env?: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

export async function startE2EStack(
  options: { kafkaBrokers?: string[]; extraEnv?: Record<string, Record<string, string>> } = {},
): Promise<E2EStack> {
  const databases: TestDatabase[] = await Promise.all(
    STATEFUL_SUBGRAPHS.map((name) => createTestDatabase(name)),
  );
  const dataDir = mkdtempSync(path.join(tmpdir(), "urr-e2e-"));
  const plan = planStack({
    keys: await ephemeralKeys(),
    dataDir: path.join(dataDir, "data"),
    databaseUrls: Object.fromEntries(STATEFUL_SUBGRAPHS.map((name, i) => [name, databases[i]?.url ?? ""])),
    gatewayPort: await freePort(),
    subgraphPorts: await freePorts(subgraphNames().map((s) => s.name)),
    redisUrl: process.env.REDIS_URL || "redis://127.0.0.1:6379",
    redisKeyPrefix: `e2e:${randomBytes(6).toString("hex")}:`,
    eventSecret: randomBytes(32).toString("hex"),
    serviceSecret: randomBytes(32).toString("hex"),
    ...(options.kafkaBrokers ? { kafkaBrokers: options.kafkaBrokers.join(",") } : {}),
    logLevel: "warn",
    demo: false,
    admin: { email: "admin@urr.test", password: "admin-password-123" },
    extraEnv: {
      ...options.extraEnv,
      auth: { PASSWORD_HASH_LOG2N: "10", ...options.extraEnv?.auth },
      gateway: { CORS_ORIGINS: "https://app.urr.test", ...UNTHROTTLED, ...options.extraEnv?.gateway },
    },
  });
  const supervisor = new Supervisor({
    readyTimeoutMs: 60_000,
    ...(await compiledServices([...plan.subgraphs, plan.gateway].map((s) => s.entry))),
  });
  try {
    // All at once: nothing in a subgraph's start waits for another (the gateway's /ready waits for
    // every subgraph), and the processes fill both cores instead of one starting at a time.
    await Promise.all([...plan.subgraphs, plan.gateway].map((spec) => supervisor.start(spec)));
  } catch (error) {
    await supervisor.stopAll();
    await Promise.all(databases.map((d) => d.drop()));
    throw error;
  }
  return {
    plan,
    gatewayUrl: plan.gatewayUrl,
    subgraphUrl: (name) =>
      `http://127.0.0.1:${plan.subgraphs.find((s) => s.name === name)?.env.PORT}/graphql`,
    kill: (name) => supervisor.stop(name, "SIGKILL"),
    shutdown: (name) => supervisor.stop(name, "SIGTERM"),
    async startReplica(name, replicaName, env = {}) {
      const spec = [...plan.subgraphs, plan.gateway].find((s) => s.name === name);
      if (!spec) throw new Error(`no service ${name}`);
      const port = await freePort();
      await supervisor.start({
        ...spec,
        name: replicaName,
        env: { ...spec.env, PORT: String(port), ...env },
        readyUrl: `http://127.0.0.1:${port}/ready`,
      });
      return `http://127.0.0.1:${port}/graphql`;
    },
    async restart(name) {
      const spec = [...plan.subgraphs, plan.gateway].find((s) => s.name === name);
      if (!spec) throw new Error(`no service ${name}`);
      await supervisor.start(spec);
    },
    async stop() {
      await supervisor.stopAll();
      await Promise.all(databases.map((d) => d.drop()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The services run from the bundles `npm start` runs (built once per source state and shared by
 * every e2e file, worker and later run), with the same code cache for their npm dependencies:
 * through tsx, each of the eight processes of a stack spent seconds of CPU compiling TypeScript on
 * every start, and e2e files start about thirty stacks. `URR_E2E_BUNDLE=false` runs the
 * TypeScript through tsx instead (a source map is not needed to read a failure either way).
 */
async function compiledServices(entries: string[]): Promise<Partial<SupervisorOptions>> {
  if (process.env.URR_E2E_BUNDLE === "false") return {};
  const build = await buildServices(entries);
  return {
    compiled: build.entries,
    compileCache: { preload: build.compileCache, dir: path.join(ROOT, ".urr", "cache", "v8-e2e") },
  };
}

/** Scenario tests read responses ad hoc, deep into the data. */
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyData = Record<string, any>;
export type Gql = (query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse<AnyData>>;

/** Signs in (or registers) through the gateway and returns a client carrying that browser's cookies. */
export async function signIn(
  stack: E2EStack,
  email: string,
  password: string,
  register = false,
): Promise<Gql> {
  const jar = new CookieJar();
  const op = register
    ? 'register(input: { email: $e, password: $p, name: "Fan" })'
    : "login(input: { email: $e, password: $p })";
  const res = await graphqlRequest(
    stack.gatewayUrl,
    `mutation($e: String!, $p: String!) { ${op} { user { id } } }`,
    { e: email, p: password },
    { jar },
  );
  if (res.errors) throw new Error(`sign-in failed: ${JSON.stringify(res.errors)}`);
  return (query, variables = {}) => graphqlRequest(stack.gatewayUrl, query, variables, { jar });
}

/**
 * Joins the event's waiting room through the gateway and returns the entry token (the event must
 * have room). Waits for the queue to learn of a new event from catalog-events.
 */
export async function enterQueue(fan: Gql, eventId: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await fan("mutation($e: ID!) { joinQueue(eventId: $e) { state entryToken } }", {
      e: eventId,
    });
    const ticket = res.data?.joinQueue;
    if (ticket?.state === "ACTIVE" && ticket.entryToken) return ticket.entryToken as string;
    if (res.errors?.[0]?.extensions?.code !== "NOT_FOUND" || Date.now() > deadline) {
      throw new Error(`could not enter the queue: ${JSON.stringify(res.errors ?? res.data)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Pays for a reservation, membership or listing (`kind` and its id) with the simulated provider
 * through the gateway and returns the amount charged; any error or an outcome other than CONFIRMED
 * fails the caller with what the gateway answered.
 */
export async function payWithSimulatedProvider(fan: Gql, kind: string, referenceId: string): Promise<number> {
  const prepared = await fan(
    "mutation($k: PaymentKind!, $r: ID!) { preparePayment(kind: $k, referenceId: $r) { orderId amount } }",
    { k: kind, r: referenceId },
  );
  const order = prepared.data?.preparePayment;
  if (!order) throw new Error(`prepare ${kind}: ${JSON.stringify(prepared.errors)}`);
  const confirmed = await fan(
    "mutation($o: String!, $k: String!, $a: Int!) { confirmPayment(orderId: $o, paymentKey: $k, amount: $a) { outcome } }",
    { o: order.orderId, k: `pk_${randomUUID()}`, a: order.amount },
  );
  if (confirmed.errors || confirmed.data?.confirmPayment.outcome !== "CONFIRMED") {
    throw new Error(`confirm ${kind}: ${JSON.stringify(confirmed.errors ?? confirmed.data)}`);
  }
  return order.amount as number;
}

/** Registers a fan and returns both an HTTP client and the bearer token (for graphql-ws). */
export async function registerFan(
  stack: E2EStack,
  name: string,
): Promise<{ gql: Gql; accessToken: string; userId: string; cookie: string }> {
  const jar = new CookieJar();
  const res = await graphqlRequest(
    stack.gatewayUrl,
    'mutation($e: String!) { register(input: { email: $e, password: "goodpass1", name: "Fan" }) { accessToken user { id } } }',
    { e: `${name}-${randomBytes(4).toString("hex")}@urr.test` },
    { jar },
  );
  if (res.errors) throw new Error(`register failed: ${JSON.stringify(res.errors)}`);
  const data = res.data as { register: { accessToken: string; user: { id: string } } };
  return {
    gql: (query, variables = {}) => graphqlRequest(stack.gatewayUrl, query, variables, { jar }),
    accessToken: data.register.accessToken,
    userId: data.register.user.id,
    cookie: jar.header() ?? "",
  };
}

const day = 86_400_000;
/** An ISO instant `days` from now (negative: in the past). */
export const daysFromNow = (days: number) => new Date(Date.now() + days * day).toISOString();

/** Polls until `probe` returns a value (events travel between subgraphs asynchronously). */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The seat layout `fullEvent` gives an event unless told otherwise: one row of 4 seats. */
const FOUR_SEATS = {
  priceTiers: [{ name: "R", price: 1000 }],
  sections: [{ name: "A", priceTier: "R", x: 0, y: 0, rows: [{ label: "1", seats: 4 }] }],
};

/**
 * An event on sale with 4 seats (or the layout given), known to ticket and queue, whose waiting
 * room admits one fan at a time (so the next fans queue).
 */
export async function fullEvent(
  admin: Gql,
  title: string,
  definition: Record<string, unknown> = FOUR_SEATS,
): Promise<{ eventId: string; seatIds: string[] }> {
  const artist = await admin(
    `mutation { createArtist(input: { name: "${title} ${randomBytes(4).toString("hex")}" }) { id } }`,
  );
  const created = await admin("mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }", {
    i: {
      artistId: artist.data?.createArtist.id,
      title,
      venue: `${title} Hall`,
      startsAt: daysFromNow(20),
      saleStartsAt: daysFromNow(-1),
      saleEndsAt: daysFromNow(19),
    },
  });
  const eventId: string = created.data?.createEvent.id;
  const layout = await admin("mutation($i: CreateSeatLayoutInput!) { createSeatLayout(input: $i) { id } }", {
    i: {
      name: `${title} ${randomBytes(4).toString("hex")}`,
      definition,
    },
  });
  const known = (res: Awaited<ReturnType<Gql>>) =>
    res.errors?.[0]?.extensions?.code === "NOT_FOUND" ? undefined : res;
  await eventually(
    async () =>
      known(
        await admin(
          "mutation($e: ID!, $l: ID!) { generateSeats(eventId: $e, layoutId: $l) { seatsCreated } }",
          {
            e: eventId,
            l: layout.data?.createSeatLayout.id,
          },
        ),
      ),
    "ticket to learn the event",
  );
  await eventually(
    async () =>
      known(
        await admin("mutation($e: ID!) { setQueueThreshold(eventId: $e, threshold: 1) { threshold } }", {
          e: eventId,
        }),
      ),
    "queue to learn the event",
  );
  const seats = await admin("query($e: ID!) { event(id: $e) { seats { id } } }", { e: eventId });
  return { eventId, seatIds: seats.data?.event.seats.map((s: { id: string }) => s.id) };
}
