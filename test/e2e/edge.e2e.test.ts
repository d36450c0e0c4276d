import { createHash, randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { type LiveClient, openLiveClient } from "@urr/testkit";
import type { GraphQLFormattedError, FormattedExecutionResult as Result } from "graphql";
import { loadTrustedDocuments } from "../../gateway/src/edge/trusted-documents.ts";
import {
  deepNesting,
  manyAliases,
  repeatedField,
} from "../../packages/operation-limits/test/support/hostile-operations.ts";
import { type CountingProxy, startCountingProxy } from "./support/counting-proxy.ts";
import { type E2EStack, registerFan, startE2EStack } from "./support/stack.ts";
import { startTcpRelay, type TcpRelay } from "./support/tcp-relay.ts";

/**
 * The public edge of issue 11 through real gateway processes on one Redis:
 * - `gateway` (the stack's, NODE_ENV=test) and `gateway-2` (NODE_ENV=production, introspection
 *   off by default), both with the reference rate limits (the stack raises them for other tests)
 *   and 127.0.0.1 as a trusted proxy, so a test can speak for several client addresses;
 * - gateway-2 reaches every subgraph (and auth's internal API) through a counting proxy, so "nothing
 *   reached a subgraph" is counted where a subgraph would have received it;
 * - `gateway-3`, for the Redis outage, reaches Redis through a relay the test cuts.
 */
const REFERENCE_RATE_LIMITS = {
  RATE_LIMIT_AUTH_PER_MINUTE: "60",
  RATE_LIMIT_QUEUE_PER_MINUTE: "120",
  RATE_LIMIT_BOOKING_PER_MINUTE: "30",
  RATE_LIMIT_GENERAL_PER_MINUTE: "3000",
};
const API_KEY_CACHE_SECONDS = 1;

let stack: E2EStack;
let gateway1: string;
let gateway2: string;
let proxies: CountingProxy[] = [];
const sockets: LiveClient[] = [];

beforeAll(async () => {
  stack = await startE2EStack({
    extraEnv: {
      gateway: {
        ...REFERENCE_RATE_LIMITS,
        TRUSTED_PROXIES: "127.0.0.1",
        API_KEY_CACHE_SECONDS: String(API_KEY_CACHE_SECONDS),
        USAGE_FLUSH_MS: "200",
      },
    },
  });
  gateway1 = stack.gatewayUrl;
  const names = stack.plan.subgraphs.map((s) => s.name);
  proxies = await Promise.all(names.map((name) => startCountingProxy(stack.subgraphUrl(name))));
  const throughProxies = Object.fromEntries(
    names.map((name, i) => [`SUBGRAPH_${name.toUpperCase()}_URL`, proxies[i]?.url ?? ""]),
  );
  const authProxy = proxies[names.indexOf("auth")];
  gateway2 = await stack.startReplica("gateway", "gateway-2", {
    NODE_ENV: "production",
    ...throughProxies,
    AUTH_INTERNAL_URL: authProxy?.origin ?? "",
  });
}, 180_000);

afterAll(async () => {
  await Promise.all(sockets.map((s) => s.dispose().catch(() => {})));
  await stack?.stop();
  await Promise.all(proxies.map((p) => p.close()));
});

// ---------------------------------------------------------------------------------------------
// Talking to a gateway

/** Scenario tests read responses ad hoc, deep into the data. */
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyData = Record<string, any>;
interface Answer {
  status: number;
  headers: Headers;
  ms: number;
  body: { data?: AnyData | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function call(url: string, init: RequestInit & { search?: string } = {}): Promise<Answer> {
  const { search = "", ...rest } = init;
  const started = performance.now();
  const response = await fetch(`${url}${search}`, rest);
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status === 304) return { status: 304, headers: response.headers, ms, body: {} };
  try {
    return { status: response.status, headers: response.headers, ms, body: JSON.parse(text) };
  } catch {
    throw new Error(`non-JSON answer ${response.status}: ${text.slice(0, 300)}`);
  }
}

const post = (url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

const get = (url: string, params: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call(url, {
    method: "GET",
    headers,
    search: `?${new URLSearchParams(
      Object.entries(params).map(([k, v]): [string, string] => [
        k,
        typeof v === "string" ? v : JSON.stringify(v),
      ]),
    )}`,
  });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** With TRUSTED_PROXIES=127.0.0.1 the gateways believe this: a client at `address` behind a proxy. */
const from = (address: string) => ({ "x-forwarded-for": address });
const firstError = (answer: Answer) => answer.body.errors?.[0];
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** One operation over graphql-ws: its last result, or the errors the server refused it with. */
function overSocket(
  client: LiveClient,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ result?: Result<Record<string, unknown>, unknown>; errors?: readonly GraphQLFormattedError[] }> {
  return new Promise((resolve, reject) => {
    let result: Result<Record<string, unknown>, unknown> | undefined;
    client.client.subscribe(
      { query, variables },
      {
        next: (value) => {
          result = value;
        },
        error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
        complete: () => resolve(result ? { result } : {}),
      },
    );
  });
}

function socketTo(url: string, accessToken?: string): LiveClient {
  const client = openLiveClient(url, accessToken ? { accessToken } : {});
  sockets.push(client);
  return client;
}

async function signInAdmin(): Promise<string> {
  const answer = await post(gateway1, {
    query: "mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { accessToken } }",
    variables: { e: "admin@urr.test", p: "admin-password-123" },
  });
  const token = answer.body.data?.login.accessToken;
  if (!token) throw new Error(`admin sign-in failed: ${JSON.stringify(answer.body)}`);
  return token;
}

/** Everything gateway-2 sent any subgraph so far. */
const upstreamSeen = () => proxies.flatMap((p) => p.seen);

// ---------------------------------------------------------------------------------------------
// 1. Operation limits: refused in milliseconds, nothing upstream, on every transport

/** A list value of 3,500 numbers where a string goes: past the token limit, nothing else. */
const TOKEN_FLOOD = `query Flood { events(first: 1, after: [${"0 ".repeat(3500)}]) { edges { node { id } } } }`;
/** 1,000 events × 1,000 of their artist's events: small text, a cost of millions. */
const COST_BOMB =
  "query Cost { events(first: 1000) { edges { node { artist { events(first: 1000) { edges { node { id availability { available held } } } } } } } } }";

/**
 * The three operations of issue 11 as sent then, a token flood and a cost bomb; the 2,000 aliases
 * and the 20,000 repeats are stopped by the parser's token limit before anything else is measured,
 * so smaller versions show the alias and repeated-field limits themselves.
 */
const HEAVY = [
  { kind: "events → artist → events, 30 deep", query: deepNesting(30), limit: "depth", get: true },
  {
    kind: "2,000 aliases of events(first: 20) { … availability }",
    query: manyAliases(2000),
    limit: "tokens",
  },
  { kind: "one field repeated 20,000 times", query: repeatedField(20_000), limit: "tokens" },
  { kind: "a token flood (3,500 list items)", query: TOKEN_FLOOD, limit: "tokens", get: true },
  { kind: "events(first: 1000) × artist.events(first: 1000)", query: COST_BOMB, limit: "cost", get: true },
  { kind: "31 aliases", query: manyAliases(31), limit: "aliases", get: true },
  { kind: "one field repeated 11 times", query: repeatedField(11), limit: "repeatedFields", get: true },
];
// Over GET only those that fit in a URL: Node answers a 160 KB one with 431 before any code runs.
const HEAVY_OVER_GET = HEAVY.filter((h) => h.get);

const MAXIMUM = { depth: 20, tokens: 3000, cost: 20_000, aliases: 30, repeatedFields: 10 } as const;

function expectTooComplex(error: GraphQLFormattedError | undefined, limit: string) {
  const maximum = MAXIMUM[limit as keyof typeof MAXIMUM];
  expect(error?.extensions).toEqual({
    code: "OPERATION_TOO_COMPLEX",
    limit,
    measured: expect.any(Number),
    maximum,
  });
  expect(error?.extensions?.measured as number).toBeGreaterThan(maximum);
}

describe("operation limits", () => {
  it("the counting proxies see what gateway-2 sends (an ordinary query reaches catalog)", async () => {
    const before = upstreamSeen().length;
    const answer = await post(gateway2, { query: "{ events(first: 1) { edges { node { id } } } }" });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(upstreamSeen().slice(before)).toEqual(["POST /graphql"]);
  });

  it.each(HEAVY)(
    "POST $kind → 400 OPERATION_TOO_COMPLEX ($limit) in milliseconds, nothing upstream",
    async ({ query, limit }) => {
      const before = upstreamSeen().length;
      const answer = await post(gateway2, { query });
      // First: what a subgraph received is the invariant; the answer's shape comes after.
      expect(upstreamSeen().slice(before)).toEqual([]);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.data).toBeUndefined();
      expectTooComplex(firstError(answer), limit);
      expect(answer.ms).toBeLessThan(500);
    },
  );

  it.each(HEAVY_OVER_GET)(
    "GET $kind → 400 OPERATION_TOO_COMPLEX ($limit), nothing upstream",
    async ({ query, limit }) => {
      const before = upstreamSeen().length;
      const answer = await get(gateway2, { query });
      // First: what a subgraph received is the invariant; the answer's shape comes after.
      expect(upstreamSeen().slice(before)).toEqual([]);
      expect(answer.status).toBe(400);
      expectTooComplex(firstError(answer), limit);
      expect(answer.ms).toBeLessThan(500);
    },
  );

  it("graphql-ws: each heavy operation is refused with the same error, nothing upstream", async () => {
    const socket = socketTo(gateway2);
    const before = upstreamSeen().length;
    for (const { query, limit } of HEAVY) {
      const started = performance.now();
      const { errors, result } = await overSocket(socket, query);
      expect(upstreamSeen().slice(before)).toEqual([]);
      expect(result).toBeUndefined();
      expect(errors).toHaveLength(1);
      expectTooComplex(errors?.[0], limit);
      expect(performance.now() - started).toBeLessThan(500);
    }
    expect(upstreamSeen().slice(before)).toEqual([]);
  });

  it("APQ: a heavy operation sent with its hash is refused, and not learnt (hash alone: not found)", async () => {
    const before = upstreamSeen().length;
    for (const { query, limit } of [HEAVY[0], HEAVY[4]].filter((h) => h !== undefined)) {
      const persistedQuery = { version: 1, sha256Hash: sha256(query) };
      const withText = await post(gateway2, { query, extensions: { persistedQuery } });
      expect(upstreamSeen().slice(before)).toEqual([]);
      expect(withText.status).toBe(400);
      expectTooComplex(firstError(withText), limit);
      const hashOnly = await post(gateway2, { extensions: { persistedQuery } });
      expect(hashOnly.status).toBe(200);
      expect(firstError(hashOnly)).toMatchObject({
        message: "PersistedQueryNotFound",
        extensions: { code: "PERSISTED_QUERY_NOT_FOUND" },
      });
    }
    expect(upstreamSeen().slice(before)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Introspection and suggestions in production

const INTROSPECT = "{ __schema { queryType { name } } }";
const MISSPELT = "{ evnts(first: 1) { pageInfo { hasNextPage } } }";

describe("introspection and suggestions in production (gateway-2)", () => {
  let adminToken: string;
  beforeAll(async () => {
    adminToken = await signInAdmin();
  });

  it("anonymous introspection → 403 FORBIDDEN INTROSPECTION_DISABLED, also __type and over graphql-ws", async () => {
    for (const query of [INTROSPECT, '{ __type(name: "Event") { fields { name } } }']) {
      const answer = await post(gateway2, { query });
      expect(answer.status).toBe(403);
      expect(answer.body.errors).toEqual([
        expect.objectContaining({ extensions: { code: "FORBIDDEN", reason: "INTROSPECTION_DISABLED" } }),
      ]);
    }
    const { errors } = await overSocket(socketTo(gateway2), INTROSPECT);
    expect(errors?.[0]?.extensions).toEqual({ code: "FORBIDDEN", reason: "INTROSPECTION_DISABLED" });
    // __typename is not introspection.
    expect((await post(gateway2, { query: "{ __typename }" })).body).toEqual({
      data: { __typename: "Query" },
    });
  });

  it("a misspelt field: no 'Did you mean' for anyone in production; development suggests", async () => {
    const production = await post(gateway2, { query: MISSPELT });
    expect(production.status).toBe(400);
    expect(firstError(production)?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(firstError(production)?.message).toBe('Cannot query field "evnts" on type "Query".');
    const development = await post(gateway1, { query: MISSPELT });
    expect(firstError(development)?.message).toMatch(/Did you mean "events"/);
  });

  it("an admin may introspect and gets suggestions", async () => {
    const introspection = await post(gateway2, { query: INTROSPECT }, bearer(adminToken));
    expect(introspection.body).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
    const misspelt = await post(gateway2, { query: MISSPELT }, bearer(adminToken));
    expect(firstError(misspelt)?.message).toMatch(/Did you mean "events"/);
  });

  it("a key with the SCHEMA_READ scope may introspect and gets suggestions; one without may not", async () => {
    const reader = await createKey(adminToken, { scopes: ["SCHEMA_READ"] });
    const plain = await createKey(adminToken, {});
    const introspection = await post(gateway2, { query: INTROSPECT }, { "x-api-key": reader.secret });
    expect(introspection.body).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
    const misspelt = await post(
      gateway2,
      { query: "{ __schema { quertType { name } } }" },
      { "x-api-key": reader.secret },
    );
    expect(firstError(misspelt)?.message).toMatch(/Did you mean "queryType"/);
    // Partners are held to registered documents (enforce): the scope lets introspection through,
    // nothing else; without the scope introspection is free text like any other.
    const notOnlySchema = await post(
      gateway2,
      { query: "{ __typename events(first: 1) { edges { node { id } } } }" },
      { "x-api-key": reader.secret },
    );
    const refused = await post(gateway2, { query: INTROSPECT }, { "x-api-key": plain.secret });
    for (const answer of [notOnlySchema, refused]) {
      expect(answer.status).toBe(403);
      expect(firstError(answer)?.extensions).toEqual({
        code: "OPERATION_NOT_ALLOWED",
        reason: "NOT_REGISTERED",
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Rate limits across two replicas on one Redis

/** A hold of a seat of an event that does not exist: refused by ticket (NOT_FOUND), still a booking call. */
const HOLD =
  'mutation($e: ID!, $s: [ID!]!, $k: String!) { holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: "none") { id } }';
const holdVariables = () => ({ e: randomUUID(), s: [randomUUID()], k: `edge-${randomUUID()}` });
/** Without a refresh cookie auth answers UNAUTHENTICATED at once: an AUTH call that costs no hash. */
const REFRESH = "mutation { refreshSession { accessToken } }";
const QUEUE_STATUS = "query($e: ID!) { queueStatus(eventId: $e) { state } }";

const replica = (i: number) => (i % 2 === 0 ? gateway1 : gateway2);
const isRateLimited = (answer: Answer) => firstError(answer)?.extensions?.code === "RATE_LIMITED";

function expectRateLimited(answer: Answer, category: string, limit: number) {
  expect(answer.status).toBe(429);
  expect(answer.body.errors).toHaveLength(1);
  const extensions = firstError(answer)?.extensions;
  expect(extensions).toEqual({
    code: "RATE_LIMITED",
    category,
    limit,
    retryAfterSeconds: expect.any(Number),
  });
  expect(extensions?.retryAfterSeconds).toBeGreaterThan(0);
  expect(extensions?.retryAfterSeconds).toBeLessThanOrEqual(60);
  expect(answer.headers.get("retry-after")).toBe(String(extensions?.retryAfterSeconds));
  expect(answer.headers.get("ratelimit-limit")).toBe(String(limit));
  expect(answer.headers.get("ratelimit-remaining")).toBe("0");
  expect(answer.headers.get("ratelimit-policy")).toBe(`${limit};w=60`);
}

/** `count` calls, `parallel` at a time, alternating replicas; their answers in the order sent. */
async function burst(count: number, parallel: number, send: (i: number) => Promise<Answer>) {
  const answers: Answer[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        answers[i] = await send(i);
      }
    }),
  );
  return answers;
}

describe("rate limits across two gateway replicas on one Redis", () => {
  it("BOOKING: 30 holds a minute per user, alternating replicas; the 31st is refused by either", async () => {
    const fan = await registerFan(stack, "booker");
    for (let i = 0; i < 30; i += 1) {
      const answer = await post(
        replica(i),
        { query: HOLD, variables: holdVariables() },
        bearer(fan.accessToken),
      );
      expect(answer.status).toBe(200);
      expect(firstError(answer)?.extensions?.code).not.toBe("RATE_LIMITED");
      // One count for both replicas: each answer says how many of the 30 are left in total.
      expect(answer.headers.get("ratelimit-remaining")).toBe(String(29 - i));
    }
    expectRateLimited(
      await post(gateway1, { query: HOLD, variables: holdVariables() }, bearer(fan.accessToken)),
      "BOOKING",
      30,
    );
    expectRateLimited(
      await post(gateway2, { query: HOLD, variables: holdVariables() }, bearer(fan.accessToken)),
      "BOOKING",
      30,
    );
    // Per user: another fan is not affected.
    const other = await registerFan(stack, "other-booker");
    const answer = await post(
      gateway2,
      { query: HOLD, variables: holdVariables() },
      bearer(other.accessToken),
    );
    expect(answer.headers.get("ratelimit-remaining")).toBe("29");
  });

  it("BOOKING over graphql-ws: a socket operation counts, and is refused with RATE_LIMITED", async () => {
    const fan = await registerFan(stack, "socket-booker");
    for (let i = 0; i < 29; i += 1) {
      const answer = await post(
        replica(i),
        { query: HOLD, variables: holdVariables() },
        bearer(fan.accessToken),
      );
      expect(isRateLimited(answer)).toBe(false);
    }
    const socket = socketTo(gateway2, fan.accessToken);
    const thirtieth = await overSocket(socket, HOLD, holdVariables());
    expect(thirtieth.errors).toBeUndefined();
    expect(thirtieth.result?.errors?.[0]?.extensions?.code).not.toBe("RATE_LIMITED");
    // The socket's call was the 30th: HTTP's next one is refused…
    expectRateLimited(
      await post(gateway1, { query: HOLD, variables: holdVariables() }, bearer(fan.accessToken)),
      "BOOKING",
      30,
    );
    // …and so is the socket's, on the other replica too.
    for (const client of [socket, socketTo(gateway1, fan.accessToken)]) {
      const refused = await overSocket(client, HOLD, holdVariables());
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors?.[0]?.extensions).toEqual({
        code: "RATE_LIMITED",
        category: "BOOKING",
        limit: 30,
        retryAfterSeconds: expect.any(Number),
      });
    }
  });

  it("AUTH anonymous: 60 a minute per client address across replicas, even sent at once", async () => {
    const address = "198.51.100.7";
    const answers = await burst(65, 10, (i) => post(replica(i), { query: REFRESH }, from(address)));
    expect(answers.filter(isRateLimited)).toHaveLength(5);
    for (const answer of answers.filter((a) => !isRateLimited(a)))
      expect(firstError(answer)?.extensions?.code).toBe("UNAUTHENTICATED");
    expectRateLimited(answers.find(isRateLimited) as Answer, "AUTH", 60);
    // Another address behind the same proxy has its own minute.
    const neighbour = await post(gateway2, { query: REFRESH }, from("198.51.100.8"));
    expect(firstError(neighbour)?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(neighbour.headers.get("ratelimit-remaining")).toBe("59");
  });

  it("QUEUE: 120 a minute per user across replicas", async () => {
    const fan = await registerFan(stack, "queuer");
    const answers = await burst(125, 10, (i) =>
      post(replica(i), { query: QUEUE_STATUS, variables: { e: randomUUID() } }, bearer(fan.accessToken)),
    );
    expect(answers.filter(isRateLimited)).toHaveLength(5);
    expectRateLimited(answers.find(isRateLimited) as Answer, "QUEUE", 120);
  });

  it("GENERAL: 3,000 a minute per client address across replicas", async () => {
    const address = "198.51.100.30";
    const answers = await burst(3010, 16, (i) =>
      post(replica(i), { query: "{ __typename }" }, from(address)),
    );
    expect(answers.filter(isRateLimited)).toHaveLength(10);
    expectRateLimited(answers.find(isRateLimited) as Answer, "GENERAL", 3000);
  }, 180_000);
});

// ---------------------------------------------------------------------------------------------
// 4. Trusted documents and partner API keys

const documents = loadTrustedDocuments(path.resolve(__dirname, "../../documents/manifest.json"));
const documentIdOf = (name: string): string => {
  const found = documents.byName(name);
  if (!found) throw new Error(`no document ${name}`);
  return found.id;
};
const GRANTED = ["PartnerEventListings", "PartnerEventAvailability", "PartnerArtist"];

async function createKey(
  adminToken: string,
  input: { scopes?: string[]; documents?: string[]; perMinuteQuota?: number },
): Promise<{ id: string; secret: string }> {
  const answer = await post(
    gateway1,
    {
      query:
        "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id documents perMinuteQuota } } }",
      variables: {
        i: {
          partner: "Melon Tickets",
          label: `edge-e2e-${randomBytes(3).toString("hex")}`,
          documents: input.documents ?? GRANTED,
          scopes: input.scopes ?? [],
          perMinuteQuota: input.perMinuteQuota ?? 100,
          perDayQuota: 1000,
        },
      },
    },
    bearer(adminToken),
  );
  const created = answer.body.data?.createApiKey;
  if (!created) throw new Error(`createApiKey failed: ${JSON.stringify(answer.body)}`);
  return { id: created.apiKey.id, secret: created.secret };
}

/** Quotas count per clock minute: start a short sequence early in one rather than across an edge. */
async function awayFromMinuteEdge(): Promise<void> {
  const second = new Date().getUTCSeconds();
  if (second > 45) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
}

describe("trusted documents and partner keys", () => {
  let adminToken: string;
  let key: { id: string; secret: string };
  const partner = () => ({ "x-api-key": key.secret });
  const usageToday = async (): Promise<number | undefined> => {
    const answer = await post(
      gateway1,
      {
        query:
          "{ apiKeys(includeRevoked: true, first: 100) { edges { node { id usage(days: 1) { day operations } } } } }",
      },
      bearer(adminToken),
    );
    const node = answer.body.data?.apiKeys.edges.find(
      (e: { node: { id: string } }) => e.node.id === key.id,
    )?.node;
    return node?.usage[0]?.operations;
  };

  beforeAll(async () => {
    adminToken = await signInAdmin();
    key = await createKey(adminToken, { perMinuteQuota: 5 });
  });

  it("a partner runs its documents by id over POST and GET (cacheable, 304), refused everything else, cut off at its quota", async () => {
    await awayFromMinuteEdge();
    const listings = documentIdOf("PartnerEventListings");
    // 1: POST by documentId (GraphQL over HTTP spells it sha256:<hex>).
    const byPost = await post(
      gateway1,
      { documentId: `sha256:${listings}`, variables: { first: 2 } },
      partner(),
    );
    expect(byPost.status).toBe(200);
    expect(byPost.body.errors).toBeUndefined();
    expect(byPost.body.data?.events.edges).toEqual(expect.any(Array));
    expect(byPost.headers.get("ratelimit-limit")).toBe("5");
    expect(byPost.headers.get("ratelimit-remaining")).toBe("4");
    expect(byPost.headers.get("ratelimit-policy")).toBe("5;w=60, 1000;w=86400");

    // 2: GET on the other replica: nobody's data, so any cache may keep it a few seconds.
    const byGet = await get(gateway2, { documentId: listings, variables: { first: 2 } }, partner());
    expect(byGet.status).toBe(200);
    expect(byGet.body).toEqual(byPost.body);
    expect(byGet.headers.get("cache-control")).toBe("public, max-age=5");
    expect(byGet.headers.get("vary")).toMatch(/X-Api-Key/);
    const etag = byGet.headers.get("etag");
    expect(etag).toMatch(/^".+"$/);
    expect(byGet.headers.get("ratelimit-remaining")).toBe("3");

    // 3: revalidated.
    const revalidated = await get(
      gateway1,
      { documentId: listings, variables: { first: 2 } },
      { ...partner(), "if-none-match": etag as string },
    );
    expect(revalidated.status).toBe(304);

    // Refusals before the quota is touched: free text, documents not granted, an unknown id.
    const freeform = await post(
      gateway2,
      { query: "{ events(first: 1) { edges { node { id } } } }" },
      partner(),
    );
    expect(freeform.status).toBe(403);
    expect(firstError(freeform)?.extensions).toEqual({
      code: "OPERATION_NOT_ALLOWED",
      reason: "NOT_REGISTERED",
    });
    for (const name of ["BrowseEvents", "PartnerArtistSearch"]) {
      const notGranted = await post(gateway1, { documentId: documentIdOf(name) }, partner());
      expect(notGranted.status).toBe(403);
      expect(firstError(notGranted)?.extensions).toEqual({
        code: "OPERATION_NOT_ALLOWED",
        reason: "DOCUMENT_NOT_GRANTED",
      });
    }
    const unknown = await post(gateway2, { documentId: sha256("query Nope { __typename }") }, partner());
    expect(unknown.status).toBe(404);
    expect(firstError(unknown)?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    // APQ is off for partners (enforce): a hash alone is an unknown id, not an APQ round trip.
    const apq = await post(
      gateway2,
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha256("{ __typename }") } } },
      partner(),
    );
    expect(apq.status).toBe(404);

    // 4, 5: the rest of the minute's quota, on both replicas.
    for (const url of [gateway2, gateway1]) {
      const answer = await post(url, { documentId: listings, variables: { first: 1 } }, partner());
      expect(answer.status).toBe(200);
    }
    for (const url of [gateway2, gateway1]) {
      const over = await post(url, { documentId: listings }, partner());
      expect(over.status).toBe(429);
      expect(firstError(over)?.extensions).toEqual({
        code: "RATE_LIMITED",
        quota: "minute",
        limit: 5,
        retryAfterSeconds: expect.any(Number),
      });
      expect(over.headers.get("retry-after")).toBe(String(firstError(over)?.extensions?.retryAfterSeconds));
    }
  });

  it("usage counts what ran (5 operations), reported by both replicas to auth", async () => {
    const deadline = Date.now() + 10_000;
    let usage = await usageToday();
    while (usage !== 5 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      usage = await usageToday();
    }
    expect(usage).toBe(5);
    // Several flush intervals later still 5: refusals were never counted.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await usageToday()).toBe(5);
  });

  it("an unknown or malformed key → 401 API_KEY_INVALID", async () => {
    const unknownSecret = `urrk_${randomBytes(32).toString("base64url")}`;
    for (const secret of [unknownSecret, "not-a-key"]) {
      const answer = await post(
        gateway2,
        { documentId: documentIdOf("PartnerEventListings") },
        { "x-api-key": secret },
      );
      expect(answer.status).toBe(401);
      expect(firstError(answer)?.extensions?.code).toBe("API_KEY_INVALID");
    }
  });

  it(`a revoked key is refused 401 API_KEY_REVOKED on every replica within API_KEY_CACHE_SECONDS (${API_KEY_CACHE_SECONDS} s)`, async () => {
    // A socket opened with the key before the revocation (answered or over quota, but verified).
    const socket = openLiveClient(gateway1, { apiKey: key.secret, lazyCloseTimeout: 60_000 });
    let connections = 0;
    socket.client.on("connected", () => {
      connections += 1;
    });
    sockets.push(socket);
    const listings = documents.byName("PartnerEventListings")?.body ?? "";
    const before = await overSocket(socket, listings);
    expect(before.errors?.[0]?.extensions?.code ?? "answered").toMatch(/^(answered|RATE_LIMITED)$/);
    // Both replicas have just verified the key (over its quota now, but verified first): cached.
    for (const url of [gateway1, gateway2])
      expect((await post(url, { documentId: documentIdOf("PartnerEventListings") }, partner())).status).toBe(
        429,
      );
    const revoked = await post(
      gateway1,
      { query: "mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }", variables: { id: key.id } },
      bearer(adminToken),
    );
    expect(revoked.body.data?.revokeApiKey.revokedAt).toEqual(expect.any(String));
    const revokedAt = Date.now();
    for (const url of [gateway1, gateway2]) {
      for (;;) {
        const answer = await post(url, { documentId: documentIdOf("PartnerEventListings") }, partner());
        if (firstError(answer)?.extensions?.code === "API_KEY_REVOKED") {
          expect(answer.status).toBe(401);
          break;
        }
        expect(Date.now() - revokedAt).toBeLessThan(API_KEY_CACHE_SECONDS * 1000 + 1500);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    // The socket that stayed open is refused its next operation as well.
    expect((await overSocket(socket, listings)).errors?.[0]?.extensions?.code).toBe("API_KEY_REVOKED");
    expect(connections).toBe(1);
  });

  it("first-party web (audit mode) still runs free text, and its documents by id", async () => {
    const freeform = await post(gateway1, { query: "{ events(first: 1) { edges { node { id } } } }" });
    expect(freeform.status).toBe(200);
    expect(freeform.body.data?.events.edges).toEqual(expect.any(Array));
    const browse = await post(gateway2, { documentId: documentIdOf("BrowseEvents"), variables: {} });
    expect(browse.status).toBe(200);
    expect(browse.body.errors).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Automatic persisted queries shared across replicas

describe("automatic persisted queries", () => {
  it("hash only → PersistedQueryNotFound; hash and text → data; hash only via the other replica → data", async () => {
    // Unique per run so an entry learnt by an earlier run of this file cannot answer.
    const query = `query ApqProbe { events(first: 1) { edges { node { id } } } } # ${randomUUID()}`;
    const persistedQuery = { version: 1, sha256Hash: sha256(query) };
    const notFound = await post(gateway1, { extensions: { persistedQuery } });
    expect(notFound.status).toBe(200);
    expect(notFound.body).toEqual({
      errors: [{ message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }],
    });
    const registered = await post(gateway1, { query, extensions: { persistedQuery } });
    expect(registered.status).toBe(200);
    expect(registered.body.data?.events.edges).toEqual(expect.any(Array));
    const elsewhere = await post(gateway2, { extensions: { persistedQuery } });
    expect(elsewhere.body).toEqual(registered.body);
    // Apollo Client's GET form of the same.
    const overGet = await get(gateway2, { extensions: { persistedQuery } });
    expect(overGet.body).toEqual(registered.body);
    // A text that is not the hash's is refused rather than stored under it.
    const mismatched = await post(gateway2, {
      query: "{ __typename }",
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(`${query} `) } },
    });
    expect(mismatched.status).toBe(400);
    expect(firstError(mismatched)?.extensions?.code).toBe("BAD_REQUEST");
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Redis stopped: each category follows its policy

describe("Redis stopped (gateway-3)", () => {
  let gateway3: string;
  let relay: TcpRelay;
  beforeAll(async () => {
    // The machine's Redis is shared with the other stacks and tests: it cannot be stopped here. The
    // gateway reaches it through a relay instead, and cutting the relay is, for the gateway, Redis
    // stopping: its connection drops and every reconnect is refused.
    const redis = new URL(stack.plan.gateway.env.REDIS_URL ?? "redis://127.0.0.1:6379");
    relay = await startTcpRelay(redis.hostname, Number(redis.port || 6379));
    gateway3 = await stack.startReplica("gateway", "gateway-3", {
      REDIS_URL: `redis://${redis.username ? `${redis.username}:${redis.password}@` : ""}127.0.0.1:${relay.port}${redis.pathname}`,
    });
  }, 60_000);

  it("BOOKING and QUEUE closed (503 RATE_LIMITER_UNAVAILABLE), AUTH local, GENERAL open", async () => {
    const fan = await registerFan(stack, "outage");
    const counted = await post(
      gateway3,
      { query: HOLD, variables: holdVariables() },
      bearer(fan.accessToken),
    );
    expect(counted.headers.get("ratelimit-remaining")).toBe("29");

    await relay.cut();

    for (const [query, variables, category] of [
      [HOLD, holdVariables(), "BOOKING"],
      [QUEUE_STATUS, { e: randomUUID() }, "QUEUE"],
    ] as const) {
      const answer = await post(gateway3, { query, variables }, bearer(fan.accessToken));
      expect(answer.status).toBe(503);
      expect(answer.body.errors).toEqual([
        expect.objectContaining({
          extensions: {
            code: "SERVICE_UNAVAILABLE",
            reason: "RATE_LIMITER_UNAVAILABLE",
            retryAfterSeconds: 5,
            category,
          },
        }),
      ]);
      expect(answer.headers.get("retry-after")).toBe("5");
      expect(answer.ms).toBeLessThan(500);
    }

    // GENERAL: open, answered without counts it does not have.
    const browse = await post(gateway3, { query: "{ events(first: 1) { edges { node { id } } } }" });
    expect(browse.status).toBe(200);
    expect(browse.body.errors).toBeUndefined();
    expect(browse.headers.get("ratelimit-limit")).toBeNull();

    // AUTH: counted by this replica alone, still capped at 60 a minute per address.
    const address = "198.51.100.60";
    const answers = await burst(61, 4, () => post(gateway3, { query: REFRESH }, from(address)));
    const admitted = answers.filter((a) => !isRateLimited(a));
    expect(admitted.map((a) => firstError(a)?.extensions?.code)).toEqual(
      new Array(60).fill("UNAUTHENTICATED"),
    );
    expect(admitted[0]?.headers.get("ratelimit-limit")).toBe("60");
    expectRateLimited(answers.find(isRateLimited) as Answer, "AUTH", 60);
  });
});
