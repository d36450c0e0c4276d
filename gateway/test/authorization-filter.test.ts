import { ANONYMOUS, type Viewer } from "@urr/auth-tokens";
import {
  buildASTSchema,
  type ExecutionResult,
  execute,
  type GraphQLError,
  parse,
  print,
  validate,
} from "graphql";
import { type AuthorizationMode, authorizeOperation } from "../src/authorization/authorize-operation.ts";
import { MARKER_PREFIX } from "../src/authorization/operation-filter.ts";
import { collectRequirements } from "../src/authorization/requirements.ts";
import { assertEnforceableSecurity } from "../src/authorization/security-features.ts";

const SDL = `
  schema @link(url: "https://specs.apollo.dev/link/v1.0")
         @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
         @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY) { query: Query }
  directive @link(url: String, as: String, for: String, import: [String]) repeatable on SCHEMA
  directive @authenticated on FIELD_DEFINITION | OBJECT
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
  type Query {
    events: [Event!]!
    me: User! @authenticated
    viewer: User @authenticated
    myReservations: [String!]! @authenticated
    auditLog: [String!]! @requiresScopes(scopes: [["admin"]])
    node(id: ID!): Node
  }
  interface Node { id: ID! }
  type Event implements Node {
    id: ID!
    title: String!
    notes: String @requiresScopes(scopes: [["admin"]])
    revenue: Int! @requiresScopes(scopes: [["admin"]])
  }
  type User implements Node { id: ID! email: String! }
`;
const schema = buildASTSchema(parse(SDL), { assumeValidSDL: true });
const requirements = collectRequirements(SDL);
const fan: Viewer = { authenticated: true, userId: "u", email: "u@x.io", role: "USER" };

const EVENTS = [
  { __typename: "Event", id: "e1", title: "One", notes: "n1", revenue: 10 },
  { __typename: "Event", id: "e2", title: "Two", notes: "n2", revenue: 20 },
];
const rootValue = {
  events: EVENTS,
  me: { id: "u", email: "u@x.io" },
  viewer: { id: "u", email: "u@x.io" },
  myReservations: ["r1"],
  auditLog: ["a"],
  node: ({ id }: { id: string }) => EVENTS.find((e) => e.id === id) ?? { __typename: "User", id, email: "x" },
};

/** Filters like the gateway does, then executes the filtered document over fixed data. */
async function run(
  query: string,
  viewer: Viewer,
  variables: Record<string, unknown> = {},
  mode: AuthorizationMode = "filter",
) {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  const outcome = authorizeOperation({ schema, document, requirements, viewer, mode });
  if (outcome.kind === "refused") return { refused: outcome.error };
  if (outcome.kind === "answered") {
    const errors = outcome.result.errors ?? [];
    return {
      answered: true,
      data: outcome.result.data,
      errors: errors.map((e) => ({ path: e.path, code: e.extensions.code })),
    };
  }
  if (outcome.kind === "filtered") {
    // The document handed to the planner is itself valid and asks for none of the removed fields.
    expect(validate(schema, outcome.document)).toEqual([]);
  }
  const result = (await execute({
    schema,
    document: outcome.document,
    rootValue,
    variableValues: variables,
  })) as ExecutionResult;
  const completed = outcome.kind === "filtered" ? outcome.complete(result) : result;
  return {
    printed: print(outcome.document),
    data: completed.data,
    errors: (completed.errors ?? []).map((e: GraphQLError) => ({ path: e.path, code: e.extensions.code })),
  };
}

describe("schema authorization in filter mode", () => {
  it("answers { me { id } } unauthenticated with an UNAUTHENTICATED error at ['me'] and null data (me is non-null)", async () => {
    const answer = await run("{ me { id } }", ANONYMOUS);
    expect(answer.errors).toEqual([{ path: ["me"], code: "UNAUTHENTICATED" }]);
    expect(answer.data).toBeNull();
  });

  it("keeps a nullable parent: data { viewer: null }", async () => {
    const answer = await run("{ viewer { id } events { id } }", ANONYMOUS);
    expect(answer.data).toEqual({ viewer: null, events: [{ id: "e1" }, { id: "e2" }] });
    expect(answer.errors).toEqual([{ path: ["viewer"], code: "UNAUTHENTICATED" }]);
  });

  it("runs the public rest; a non-null removed root field nulls data as GraphQL does", async () => {
    const answer = await run("{ myReservations events { id } }", ANONYMOUS);
    expect(answer.errors).toEqual([{ path: ["myReservations"], code: "UNAUTHENTICATED" }]);
    expect(answer.data).toBeNull();
    // data is null whatever the rest returns: nothing runs (no mutation behind a data: null).
    expect(answer.answered).toBe(true);
  });

  it("runs the rest when the removed non-null root field is conditional, nulling data only if it applies", async () => {
    const query = "query($x: Boolean!) { me @include(if: $x) { id } events { id } }";
    expect((await run(query, ANONYMOUS, { x: true })).data).toBeNull();
    const skipped = await run(query, ANONYMOUS, { x: false });
    expect(skipped).toMatchObject({ data: { events: [{ id: "e1" }, { id: "e2" }] }, errors: [] });
    expect(skipped.printed).not.toMatch(/\bme\b/);
  });

  it("nulls a nullable field in every list item, with an error at each concrete path (FORBIDDEN for a fan)", async () => {
    const answer = await run("{ events { id notes } }", fan);
    expect(answer.data).toEqual({
      events: [
        { id: "e1", notes: null },
        { id: "e2", notes: null },
      ],
    });
    expect(answer.errors).toEqual([
      { path: ["events", 0, "notes"], code: "FORBIDDEN" },
      { path: ["events", 1, "notes"], code: "FORBIDDEN" },
    ]);
  });

  it("propagates a non-null removed field to the nearest nullable parent", async () => {
    // revenue: Int! → its Event is null → [Event!]! cannot hold null → events: [..]! → data null.
    expect((await run("{ events { id revenue } }", fan)).data).toBeNull();
    // node: Node is nullable: it stops there.
    const answer = await run('{ node(id: "e1") { id ... on Event { revenue } } events { id } }', fan);
    expect(answer.data).toEqual({ node: null, events: [{ id: "e1" }, { id: "e2" }] });
    expect(answer.errors).toEqual([{ path: ["node", "revenue"], code: "FORBIDDEN" }]);
  });

  it("applies a removal only where it would have resolved: type conditions and @include", async () => {
    const user = await run('{ node(id: "u9") { id ... on Event { notes } } }', fan);
    expect(user.data).toEqual({ node: { id: "u9" } });
    expect(user.errors).toEqual([]);
    const skipped = await run("query($x: Boolean!) { events { id notes @include(if: $x) } }", fan, {
      x: false,
    });
    expect(skipped.errors).toEqual([]);
    expect(skipped.data).toEqual({ events: [{ id: "e1" }, { id: "e2" }] });
  });

  it("filters inside fragments and behind aliases, and leaves no marker in the data", async () => {
    const answer = await run("{ list: events { ...E } } fragment E on Event { id secret: notes }", fan);
    expect(answer.data).toEqual({
      list: [
        { id: "e1", secret: null },
        { id: "e2", secret: null },
      ],
    });
    expect(answer.errors?.map((e) => e.path)).toEqual([
      ["list", 0, "secret"],
      ["list", 1, "secret"],
    ]);
    expect(JSON.stringify(answer.data)).not.toContain(MARKER_PREFIX);
  });

  it("never collides with a client alias that looks like a marker", async () => {
    const answer = await run("{ events { _urrRemoved0: id notes } }", fan);
    expect(answer.data).toEqual({
      events: [
        { _urrRemoved0: "e1", notes: null },
        { _urrRemoved0: "e2", notes: null },
      ],
    });
    expect(answer.errors?.map((e) => e.path)).toEqual([
      ["events", 0, "notes"],
      ["events", 1, "notes"],
    ]);
  });

  it("leaves an operation the viewer may fully see untouched", async () => {
    const document = parse("{ events { id notes } auditLog }");
    const admin: Viewer = { authenticated: true, userId: "a", email: "a@x.io", role: "ADMIN" };
    const outcome = authorizeOperation({ schema, document, requirements, viewer: admin, mode: "filter" });
    expect(outcome).toEqual({ kind: "allowed", document });
  });

  it("filters only the operation named to run", async () => {
    const document = parse("query A { events { id } } query B { me { id } }");
    const outcome = authorizeOperation({
      schema,
      document,
      operationName: "A",
      requirements,
      viewer: ANONYMOUS,
      mode: "filter",
    });
    expect(outcome.kind).toBe("allowed");
    const b = authorizeOperation({
      schema,
      document,
      operationName: "B",
      requirements,
      viewer: ANONYMOUS,
      mode: "filter",
    });
    expect(b.kind).toBe("answered");
  });
});

describe("schema authorization in reject mode", () => {
  it("refuses the whole operation: 401 unauthenticated, 403 for a missing scope", async () => {
    const anonymous = await run("{ events { id } me { id } }", ANONYMOUS, {}, "reject");
    expect(anonymous.refused?.extensions).toMatchObject({ code: "UNAUTHENTICATED", http: { status: 401 } });
    const forbidden = await run("{ auditLog }", fan, {}, "reject");
    expect(forbidden.refused?.extensions).toMatchObject({
      code: "FORBIDDEN",
      reason: "MISSING_SCOPE",
      fields: ["Query.auditLog"],
      http: { status: 403 },
    });
  });
});

describe("security features the gateway does not enforce", () => {
  const withLink = (link: string) => SDL.replace("{ query: Query }", `${link} { query: Query }`);

  it("accepts @authenticated and @requiresScopes", () => {
    expect(() => assertEnforceableSecurity(SDL)).not.toThrow();
  });

  it("refuses to start on @policy (or any other for: SECURITY feature)", () => {
    expect(() =>
      assertEnforceableSecurity(
        withLink('@link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)'),
      ),
    ).toThrow(/policy\/v0\.1/);
    expect(() =>
      assertEnforceableSecurity(withLink('@link(url: "https://example.com/acl/v1.0", for: SECURITY)')),
    ).toThrow(/does not enforce/);
  });
});
