import { ANONYMOUS, type Viewer } from "@urr/auth-tokens";
import { buildASTSchema, parse, print } from "graphql";
import { collectRequirements } from "../src/authorization/requirements.ts";
import { authorizeSocketOperation } from "../src/authorization/socket-authorization.ts";

const SDL = `
  schema @link(url: "https://specs.apollo.dev/link/v1.0")
         @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
         @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY) { query: Query subscription: Subscription }
  directive @link(url: String, as: String, for: String, import: [String]) repeatable on SCHEMA
  directive @authenticated on FIELD_DEFINITION | OBJECT
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
  type Query { me: String! @authenticated }
  type Subscription {
    seats(eventId: ID!): SeatUpdate!
    myQueue: Int! @authenticated
  }
  type SeatUpdate { available: Int! revenue: Int @requiresScopes(scopes: [["admin"]]) }
`;
const schema = buildASTSchema(parse(SDL), { assumeValidSDL: true });
const requirements = collectRequirements(SDL);
const fan: Viewer = { authenticated: true, userId: "u", email: "u@x.io", role: "USER" };
const authorize = (query: string, viewer: Viewer, mode: "filter" | "reject" = "filter") =>
  authorizeSocketOperation({ schema, document: parse(query), requirements, viewer, mode });

describe("schema authorization on the socket", () => {
  it("filters a subscription's protected fields and completes each event", () => {
    const authorized = authorize('subscription { seats(eventId: "e") { available revenue } }', fan);
    if ("errors" in authorized) throw new Error("refused");
    expect(print(authorized.document)).not.toContain("revenue");
    const marker = print(authorized.document).match(/(_urrRemoved\w*): __typename/)?.[1] ?? "";
    const event = authorized.complete({ data: { seats: { available: 3, [marker]: "SeatUpdate" } } });
    expect(event.data).toEqual({ seats: { available: 3, revenue: null } });
    expect(event.errors?.map((e) => [e.path, e.extensions.code])).toEqual([
      [["seats", "revenue"], "FORBIDDEN"],
    ]);
  });

  it("refuses a subscription whose root field is protected, without an HTTP status", () => {
    const authorized = authorize("subscription { myQueue }", ANONYMOUS);
    expect("errors" in authorized && authorized.errors.map((e) => [e.path, e.extensions])).toEqual([
      [["myQueue"], { code: "UNAUTHENTICATED", field: "Subscription.myQueue" }],
    ]);
  });

  it("refuses any protected field in reject mode", () => {
    const authorized = authorize('subscription { seats(eventId: "e") { revenue } }', fan, "reject");
    expect("errors" in authorized && authorized.errors[0]?.extensions).toMatchObject({ code: "FORBIDDEN" });
    expect("errors" in authorized && authorized.errors[0]?.extensions.http).toBeUndefined();
  });

  it("leaves queries and mutations to Apollo Server's guarded executor", () => {
    const document = parse("{ me }");
    const authorized = authorizeSocketOperation({
      schema,
      document,
      requirements,
      viewer: ANONYMOUS,
      mode: "filter",
    });
    expect("document" in authorized && authorized.document).toBe(document);
  });
});
