import { CONTEXT_HEADER, importVerifyingKey } from "@urr/auth-tokens";
import { createLogger } from "@urr/logger";
import { SUBGRAPH_OPERATION_LIMITS } from "@urr/operation-limits";
import { graphqlRequest, TestGatewayIdentity } from "@urr/testkit";
import { parse } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { type RunningSubgraph, startSubgraph } from "../src/start-subgraph.ts";

/**
 * Defence in depth: a subgraph refuses what the gateway should have refused, even from a caller
 * holding a valid gateway context (a gateway bug, a leaked key), before any resolver runs, while the
 * gateway's own planned fetches (`_entities` with many representations) still pass.
 */
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { events(first: Int = 20): [Event!]! }
  type Subscription { eventChanged: Event! }
  type Event @key(fields: "id") { id: ID! title: String! artist: Artist! }
  type Artist { name: String! }
`);

const calls: string[] = [];
const event = (id: string) => ({ id, title: `Event ${id}`, artist: { name: "Aurora" } });
const resolvers = {
  Query: {
    events: (_: unknown, args: { first: number }) => {
      calls.push("events");
      return Array.from({ length: Math.min(args.first, 5) }, (_, i) => event(String(i)));
    },
  },
  Subscription: {
    eventChanged: {
      subscribe: async function* () {
        calls.push("subscribe");
        yield { eventChanged: event("1") };
      },
    },
  },
  Event: {
    __resolveReference: (reference: { id: string }) => {
      calls.push("entity");
      return event(reference.id);
    },
  },
};

let subgraph: RunningSubgraph;
let headers: Record<string, string>;

beforeAll(async () => {
  const identity = await TestGatewayIdentity.create();
  headers = await identity.headersFor();
  subgraph = await startSubgraph({
    name: "limits-test",
    typeDefs,
    resolvers,
    port: 0,
    logger: createLogger("limits-test", { level: "silent" }),
    contextVerifyingKey: await importVerifyingKey(identity.keys.publicKeyPem),
    buildContext: (base) => base,
  });
});

afterAll(() => subgraph.stop());
beforeEach(() => {
  calls.length = 0;
});

const send = (query: string, variables: Record<string, unknown> = {}) =>
  graphqlRequest(subgraph.url, query, variables, { headers });

it("refuses an operation over a limit with 400 and OPERATION_TOO_COMPLEX, running nothing", async () => {
  const aliases = Array.from(
    { length: SUBGRAPH_OPERATION_LIMITS.maxAliases + 1 },
    (_, i) => `e${i}: events { id }`,
  );
  const response = await send(`{ ${aliases.join(" ")} }`);
  expect(response.status).toBe(400);
  expect(response.errors).toEqual([
    {
      message: expect.stringContaining("aliases"),
      extensions: {
        code: "OPERATION_TOO_COMPLEX",
        limit: "aliases",
        measured: SUBGRAPH_OPERATION_LIMITS.maxAliases + 1,
        maximum: SUBGRAPH_OPERATION_LIMITS.maxAliases,
      },
    },
  ]);
  expect(response.data).toBeUndefined();
  expect(calls).toEqual([]);
});

it("refuses a document over the token limit before parsing it", async () => {
  const response = await send(`{ events { id ${"title ".repeat(SUBGRAPH_OPERATION_LIMITS.maxTokens)}} }`);
  expect(response.status).toBe(400);
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: "OPERATION_TOO_COMPLEX", limit: "tokens" });
  expect(calls).toEqual([]);
});

it("refuses a list multiplied past the cost limit, read from the variables", async () => {
  const response = await send("query($n: Int) { events(first: $n) { id artist { name } } }", {
    n: SUBGRAPH_OPERATION_LIMITS.maxCost,
  });
  expect(response.status).toBe(400);
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: "OPERATION_TOO_COMPLEX", limit: "cost" });
  expect(calls).toEqual([]);
});

it("answers the gateway's planned _entities fetch of 2,000 representations", async () => {
  const representations = Array.from({ length: 2000 }, (_, i) => ({ __typename: "Event", id: String(i) }));
  const response = await send(
    `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Event { __typename id title artist { name } } } }`,
    { representations },
  );
  expect(response.status).toBe(200);
  expect(response.errors).toBeUndefined();
  expect((response.data as { _entities: unknown[] })._entities).toHaveLength(2000);
  expect(calls.filter((c) => c === "entity")).toHaveLength(2000);
});

it("refuses an oversized subscription over graphql-ws with the same code, subscribing to nothing", async () => {
  const token = headers[CONTEXT_HEADER];
  const client = createClient({
    url: subgraph.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { [CONTEXT_HEADER]: token },
  });
  const aliases = Array.from(
    { length: SUBGRAPH_OPERATION_LIMITS.maxAliases + 1 },
    (_, i) => `e${i}: eventChanged { id }`,
  );
  const first = (query: string) =>
    new Promise<unknown>((resolve) => {
      client.subscribe(
        { query, extensions: { [CONTEXT_HEADER]: token } },
        { next: resolve, error: resolve, complete: () => resolve("completed") },
      );
    });
  try {
    const errors = await first(`subscription { ${aliases.join(" ")} }`);
    expect(errors).toEqual([
      expect.objectContaining({
        extensions: {
          code: "OPERATION_TOO_COMPLEX",
          limit: "aliases",
          measured: SUBGRAPH_OPERATION_LIMITS.maxAliases + 1,
          maximum: SUBGRAPH_OPERATION_LIMITS.maxAliases,
        },
      }),
    ]);
    expect(calls).toEqual([]);
    // Within the limits, the same connection subscribes.
    expect(await first("subscription { eventChanged { id } }")).toEqual({
      data: { eventChanged: { id: "1" } },
    });
    expect(calls).toEqual(["subscribe"]);
  } finally {
    await client.dispose();
  }
});
