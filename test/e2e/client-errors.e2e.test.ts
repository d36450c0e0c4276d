import { gzipSync } from "node:zlib";
import { openLiveClient } from "@urr/testkit";
import { type E2EStack, type Gql, registerFan, signIn, startE2EStack } from "./support/stack.ts";

/**
 * One request of every client-error class through the gateway of a real stack: each gets its 4xx
 * (or 200 with a coded error where GraphQL answers with data), a stable `extensions.code`, never a
 * 5xx. Authorization runs in filter mode (the default) here and in reject mode on a second gateway.
 */
let stack: E2EStack;
let rejectingGateway: string;
let fan: Gql;
let fanToken: string;
beforeAll(async () => {
  stack = await startE2EStack();
  rejectingGateway = await stack.startReplica("gateway", "gateway-reject", { AUTHORIZATION_MODE: "reject" });
  const registered = await registerFan(stack, "client-errors");
  fan = registered.gql;
  fanToken = registered.accessToken;
});
afterAll(() => stack?.stop());

interface Answer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

async function send(init: RequestInit & { url?: string; search?: string } = {}): Promise<Answer> {
  const { url = stack.gatewayUrl, search = "", ...rest } = init;
  const response = await fetch(`${url}${search}`, rest);
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as Answer["body"] };
  } catch {
    throw new Error(`non-JSON answer ${response.status}: ${text.slice(0, 300)}`);
  }
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

const codes = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.code);

describe("client errors through the gateway", () => {
  it.each<{ what: string; request: () => RequestInit & { search?: string }; status: number; code: string }>([
    { what: "malformed JSON", request: () => json("{ query: "), status: 400, code: "BAD_REQUEST" },
    {
      what: "PUT",
      request: () => ({ ...json({ query: "{ __typename }" }), method: "PUT" }),
      status: 405,
      code: "BAD_REQUEST",
    },
    {
      what: "DELETE",
      request: () => ({ ...json({ query: "{ __typename }" }), method: "DELETE" }),
      status: 405,
      code: "BAD_REQUEST",
    },
    {
      what: "a mutation over GET",
      request: () => ({
        method: "GET",
        search: `?query=${encodeURIComponent("mutation { logout { revokedSessions } }")}`,
        headers: { "apollo-require-preflight": "true" },
      }),
      status: 405,
      code: "BAD_REQUEST",
    },
    {
      what: "an unknown field",
      request: () => json({ query: "{ events { edges { node { nope } } } }" }),
      status: 400,
      code: "GRAPHQL_VALIDATION_FAILED",
    },
    {
      what: "a syntax error",
      request: () => json({ query: "{ events {" }),
      status: 400,
      code: "GRAPHQL_PARSE_FAILED",
    },
    {
      what: "variables of the wrong type",
      request: () =>
        json({
          query: "query($n: Int) { events(first: $n) { pageInfo { hasNextPage } } }",
          variables: { n: "many" },
        }),
      status: 400,
      code: "BAD_USER_INPUT",
    },
    {
      what: "a body over 256 KiB",
      request: () => json({ query: `{ __typename } # ${"x".repeat(300 * 1024)}` }),
      status: 413,
      code: "BAD_REQUEST",
    },
    {
      what: "an unsupported charset",
      request: () =>
        json({ query: "{ __typename }" }, { "content-type": "application/json; charset=iso-8859-1" }),
      status: 415,
      code: "BAD_REQUEST",
    },
    {
      what: "an unsupported content encoding",
      request: () => json({ query: "{ __typename }" }, { "content-encoding": "compress" }),
      status: 415,
      code: "BAD_REQUEST",
    },
    {
      what: "two operations and no operationName",
      request: () => json({ query: "query A { __typename } query B { __typename }" }),
      status: 400,
      code: "OPERATION_RESOLUTION_FAILURE",
    },
    {
      what: "an operationName the document lacks",
      request: () => json({ query: "query A { __typename }", operationName: "B" }),
      status: 400,
      code: "OPERATION_RESOLUTION_FAILURE",
    },
    {
      what: "a subscription over HTTP POST",
      request: () =>
        json({
          query: 'subscription { queuePosition(eventId: "00000000-0000-4000-8000-000000000000") { state } }',
        }),
      status: 400,
      code: "BAD_REQUEST",
    },
    {
      what: "a form post (CSRF prevention)",
      request: () => ({
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: '{"query":"{ __typename }"}',
      }),
      status: 400,
      code: "BAD_REQUEST",
    },
    {
      what: "a bearer token that does not verify",
      request: () => json({ query: "{ __typename }" }, { authorization: "Bearer not-a-token" }),
      status: 401,
      code: "UNAUTHENTICATED",
    },
  ])("$what → $status $code", async ({ request, status, code }) => {
    const answer = await send(request());
    expect({ status: answer.status, codes: codes(answer) }).toEqual({ status, codes: [code] });
  });

  it("still reads a gzip-encoded body", async () => {
    const answer = await send({
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify({ query: "{ __typename }" })),
    });
    expect(answer).toEqual({ status: 200, body: { data: { __typename: "Query" } } });
  });

  it("{ me { id } } unauthenticated → 200, UNAUTHENTICATED at ['me'] (me is non-null: data null)", async () => {
    const answer = await send(json({ query: "{ me { id } }" }));
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        path: ["me"],
        extensions: expect.objectContaining({ code: "UNAUTHENTICATED" }),
      }),
    ]);
  });

  it("a protected field next to public ones → 200 with the error at its path", async () => {
    const answer = await send(json({ query: "{ myReservations { id } events { edges { node { id } } } }" }));
    expect(answer.status).toBe(200);
    expect(answer.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [["myReservations"], "UNAUTHENTICATED"],
    ]);
    // A conditional protected field that does not apply leaves the public rest to run and answer.
    const skipped = await send(
      json({
        query:
          "query($mine: Boolean!) { myReservations @include(if: $mine) { id } events { pageInfo { hasNextPage } } }",
        variables: { mine: false },
      }),
    );
    expect(skipped).toMatchObject({
      status: 200,
      body: { data: { events: { pageInfo: { hasNextPage: expect.any(Boolean) } } } },
    });
    expect(skipped.body.errors).toBeUndefined();
    // …and when it does apply, the gateway ran the rest and then nulled data as GraphQL would.
    const included = await send(
      json({
        query:
          "query($mine: Boolean!) { myReservations @include(if: $mine) { id } events { pageInfo { hasNextPage } } }",
        variables: { mine: true },
      }),
    );
    expect(included.status).toBe(200);
    expect(included.body.data).toBeNull();
    expect(included.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [["myReservations"], "UNAUTHENTICATED"],
    ]);
  });

  it("an admin-only field for a fan → 200 with FORBIDDEN at its path", async () => {
    const answer = await fan("{ auditLog { pageInfo { hasNextPage } } }");
    expect(answer.status).toBe(200);
    expect(answer.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.reason])).toEqual([
      [["auditLog"], "FORBIDDEN", "MISSING_SCOPE"],
    ]);
  });

  it("AUTHORIZATION_MODE=reject refuses the whole operation: 401 anonymous, 403 missing scope", async () => {
    const anonymous = await send({
      url: rejectingGateway,
      ...json({ query: "{ me { id } events { pageInfo { hasNextPage } } }" }),
    });
    expect({ status: anonymous.status, codes: codes(anonymous), data: anonymous.body.data }).toEqual({
      status: 401,
      codes: ["UNAUTHENTICATED"],
      data: undefined,
    });
    const forbidden = await send({
      url: rejectingGateway,
      ...json(
        { query: "{ auditLog { pageInfo { hasNextPage } } }" },
        { authorization: `Bearer ${fanToken}` },
      ),
    });
    expect({ status: forbidden.status, codes: codes(forbidden) }).toEqual({
      status: 403,
      codes: ["FORBIDDEN"],
    });
  });

  it("a subgraph's own refusal (its HTTP 400) keeps its code through the gateway", async () => {
    // As a variable, the catalog's DateTime scalar refuses it while coercing: BAD_USER_INPUT.
    const variable = await send(
      json({
        query: "query($d: DateTime) { events(filter: { startsFrom: $d }) { pageInfo { hasNextPage } } }",
        variables: { d: "not-a-date" },
      }),
    );
    expect({ status: variable.status, codes: codes(variable) }).toEqual({
      status: 200,
      codes: ["BAD_USER_INPUT"],
    });
    expect(variable.body.errors?.[0]?.message).toMatch(/DateTime must be an ISO-8601 string/);
    // Which subgraph answered stays inside: @apollo/gateway's serviceName is not passed on.
    expect(variable.body.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT" });
    // As a literal, the catalog's validation refuses the document it was sent.
    const literal = await send(
      json({ query: '{ events(filter: { startsFrom: "not-a-date" }) { pageInfo { hasNextPage } } }' }),
    );
    expect({ status: literal.status, codes: codes(literal) }).toEqual({
      status: 200,
      codes: ["GRAPHQL_VALIDATION_FAILED"],
    });
  });

  it("a DateTime in year 0 is refused as BAD_USER_INPUT, not an internal error", async () => {
    const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
    const answer = await admin(
      "query($d: DateTime) { events(filter: { startsFrom: $d }) { pageInfo { hasNextPage } } }",
      { d: "0000-01-01T00:00:00Z" },
    );
    expect(answer.status).toBeLessThan(500);
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });

  it("a cursor of another list (an artists cursor given to events, auditLog) → BAD_USER_INPUT", async () => {
    const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
    await admin('mutation { createArtist(input: { name: "Cursor Crossing" }) { id } }');
    const artists = await admin("{ artists { edges { cursor } } }");
    const cursor: string = artists.data?.artists.edges[0].cursor;
    for (const list of ["events", "auditLog"]) {
      const answer = await admin(`query($c: String) { ${list}(after: $c) { pageInfo { hasNextPage } } }`, {
        c: cursor,
      });
      expect({ list, status: answer.status, codes: answer.errors?.map((e) => e.extensions?.code) }).toEqual({
        list,
        status: 200,
        codes: ["BAD_USER_INPUT"],
      });
    }
  });
});

describe("the same rules over graphql-ws", () => {
  it("a query on the socket is filtered like HTTP: data null, UNAUTHENTICATED at ['me']", async () => {
    const live = openLiveClient(stack.gatewayUrl);
    try {
      const sub = live.subscribe("{ me { id } }");
      await sub.ended;
      expect(sub.results).toEqual([
        {
          data: null,
          errors: [
            expect.objectContaining({
              path: ["me"],
              extensions: expect.objectContaining({ code: "UNAUTHENTICATED" }),
            }),
          ],
        },
      ]);
    } finally {
      await live.dispose();
    }
  });

  it("a subscription whose root field is protected is refused with the code at its path", async () => {
    const live = openLiveClient(stack.gatewayUrl);
    try {
      const sub = live.subscribe("subscription($e: ID!) { queuePosition(eventId: $e) { state } }", {
        e: "00000000-0000-4000-8000-000000000000",
      });
      await expect(sub.ended).rejects.toEqual([
        expect.objectContaining({
          path: ["queuePosition"],
          extensions: expect.objectContaining({ code: "UNAUTHENTICATED" }),
        }),
      ]);
    } finally {
      await live.dispose();
    }
  });
});
