import { readFileSync } from "node:fs";
import path from "node:path";
import { ANONYMOUS } from "@urr/auth-tokens";
import { buildASTSchema, parse } from "graphql";
import { findViolations } from "../src/authorization/authorization.plugin.ts";
import { collectRequirements, supergraphForPlanner } from "../src/authorization/requirements.ts";

const SDL = `
  schema @link(url: "https://specs.apollo.dev/link/v1.0")
         @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
         @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY) { query: Query }
  directive @link(url: String, as: String, for: String, import: [String]) repeatable on SCHEMA
  directive @authenticated on FIELD_DEFINITION | OBJECT
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
  type Query {
    events: [Event!]!
    me: User @authenticated
    auditLog: [String!]! @requiresScopes(scopes: [["admin"]])
    node(id: ID!): Node
  }
  interface Node { id: ID! }
  type Event implements Node { id: ID! title: String! secretNotes: String @requiresScopes(scopes: [["admin"], ["organizer", "user"]]) }
  type User implements Node @authenticated { id: ID! }
`;
const schema = buildASTSchema(parse(SDL), { assumeValidSDL: true });
const requirements = collectRequirements(SDL);
const user = { viewer: { authenticated: true, userId: "u", email: "u@x.io", role: "USER" } as const };
const admin = { viewer: { authenticated: true, userId: "a", email: "a@x.io", role: "ADMIN" } as const };
const anonymous = { viewer: ANONYMOUS };

const violations = (query: string, ctx: typeof user | typeof admin | typeof anonymous) =>
  findViolations(schema, parse(query), requirements, ctx);

describe("schema authorization at the gateway", () => {
  it("reads field and type requirements from the supergraph", () => {
    expect(requirements.get("Query.me")).toEqual({ authenticated: true, anyOf: [] });
    expect(requirements.get("Query.auditLog")).toEqual({ authenticated: true, anyOf: [["admin"]] });
    expect(requirements.get("User")).toEqual({ authenticated: true, anyOf: [] });
    expect(requirements.has("Query.events")).toBe(false);
  });

  it("lets anyone read public fields", () => {
    expect(violations("{ events { id title } }", anonymous)).toEqual([]);
  });

  it("requires sign-in for @authenticated fields and types, also inside fragments", () => {
    expect(violations("{ me { id } }", anonymous)).toEqual(["Query.me"]);
    expect(violations("{ ...F } fragment F on Query { me { id } }", anonymous)).toContain("Query.me");
    expect(violations("{ me { id } }", user)).toEqual([]);
  });

  it("applies a type-level rule to fields read on that type through an interface", () => {
    expect(
      violations('{ node(id: "1") { id ... on User { id } ... on Event { title } } }', anonymous),
    ).toEqual(["User", "User"]);
    expect(violations('{ node(id: "1") { ... on User { id } } }', user)).toEqual([]);
  });

  it("requires one whole scope set for @requiresScopes", () => {
    expect(violations("{ auditLog }", user)).toEqual(["Query.auditLog"]);
    expect(violations("{ auditLog }", admin)).toEqual([]);
    expect(violations("{ events { secretNotes } }", user)).toEqual(["Event.secretNotes"]);
    expect(violations("{ events { secretNotes } }", admin)).toEqual([]);
  });

  it("catches protected fields behind aliases", () => {
    expect(violations("{ harmless: auditLog }", user)).toEqual(["Query.auditLog"]);
  });

  it("hands @apollo/gateway a supergraph without the SECURITY purpose it would refuse", () => {
    const prepared = supergraphForPlanner(SDL);
    expect(prepared).not.toMatch(/for: SECURITY/);
    expect(prepared).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1")');
  });

  it("finds the real supergraph's protected auth fields", () => {
    const real = readFileSync(path.resolve(__dirname, "../../supergraph.graphql"), "utf8");
    const map = collectRequirements(real);
    expect(map.get("Query.me")?.authenticated).toBe(true);
    expect(map.get("Mutation.logout")?.authenticated).toBe(true);
    expect(map.has("Mutation.login")).toBe(false);
  });
});
