import { readFileSync } from "node:fs";
import path from "node:path";
import { Supergraph } from "@apollo/federation-internals";
import { parse } from "graphql";
import { categoriesFromSupergraph, categoryOfOperation, DEFAULT_LIMITS_PER_MINUTE } from "../src/index.ts";

const SUPERGRAPH = readFileSync(path.resolve(__dirname, "../../../supergraph.graphql"), "utf8");
const lookup = categoriesFromSupergraph(SUPERGRAPH);
const api = Supergraph.build(SUPERGRAPH, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();

it("reads every @rateLimit of the composed supergraph; nothing else is annotated", () => {
  expect(Object.fromEntries([...lookup.annotated].sort())).toEqual({
    "Mutation.cancelPayment": "BOOKING",
    "Mutation.cancelReservation": "BOOKING",
    "Mutation.cancelTransfer": "BOOKING",
    "Mutation.confirmPayment": "BOOKING",
    "Mutation.createComment": "COMMUNITY",
    "Mutation.createPost": "COMMUNITY",
    "Mutation.heartbeat": "QUEUE",
    "Mutation.holdBestAvailable": "BOOKING",
    "Mutation.holdSeats": "BOOKING",
    "Mutation.joinMembership": "BOOKING",
    "Mutation.joinQueue": "QUEUE",
    "Mutation.leaveQueue": "QUEUE",
    "Mutation.listTicketForTransfer": "BOOKING",
    "Mutation.login": "AUTH",
    "Mutation.loginWithGoogle": "AUTH",
    "Mutation.preparePayment": "BOOKING",
    "Mutation.processPayment": "BOOKING",
    "Mutation.refreshSession": "AUTH",
    "Mutation.register": "AUTH",
    "Mutation.reserveTickets": "BOOKING",
    "Mutation.updateComment": "COMMUNITY",
    "Mutation.updatePost": "COMMUNITY",
    "Query.queueStatus": "QUEUE",
    "Subscription.queuePosition": "QUEUE",
  });
  expect(lookup.categoryOf("Mutation.holdSeats")).toBe("BOOKING");
  expect(lookup.categoryOf("Query.events")).toBe("GENERAL");
  expect(lookup.categoryOf("Mutation.logout")).toBe("GENERAL");
  expect(lookup.categoryOf("Subscription.seatAvailability")).toBe("GENERAL");
  expect(lookup.rootTypes).toEqual({ query: "Query", mutation: "Mutation", subscription: "Subscription" });
});

it("every annotated field is a field of the API schema clients see", () => {
  for (const coordinate of lookup.annotated.keys()) {
    const [type = "", field = ""] = coordinate.split(".");
    const rootType = api.getType(type);
    expect(rootType && "getFields" in rootType ? rootType.getFields()[field] : undefined).toBeDefined();
  }
});

describe("categoryOfOperation", () => {
  const cases: [string, string, string | undefined, string][] = [
    ["a plain browse query", "{ events { edges { node { id } } } }", undefined, "GENERAL"],
    [
      "a hold",
      'mutation { holdSeats(eventId: "e", seatIds: ["s"], idempotencyKey: "k") { id } }',
      undefined,
      "BOOKING",
    ],
    [
      "sign-in",
      'mutation { login(input: { email: "a@b.c", password: "p" }) { accessToken } }',
      undefined,
      "AUTH",
    ],
    ["queue status", 'query { queueStatus(eventId: "e") { state } }', undefined, "QUEUE"],
    [
      "the queue's subscription",
      'subscription { queuePosition(eventId: "e") { position } }',
      undefined,
      "QUEUE",
    ],
    [
      "the seat map's subscription",
      'subscription { seatAvailability(eventId: "e") { eventId } }',
      undefined,
      "GENERAL",
    ],
    [
      "several root fields: the strictest counts",
      'mutation { joinQueue(eventId: "e") { state } login(input: { email: "a@b.c", password: "p" }) { accessToken } cancelReservation(id: "r") { id } }',
      undefined,
      "BOOKING",
    ],
    [
      "a fragment spread on the root type",
      'mutation M { ...Hold } fragment Hold on Mutation { reserveTickets(eventId: "e", items: [], idempotencyKey: "k") { id } }',
      undefined,
      "BOOKING",
    ],
    [
      "inline fragments and a nested spread on the root type",
      'query { events { totalCount } ... on Query { ...Q } } fragment Q on Query { ... @include(if: true) { queueStatus(eventId: "e") { state } } }',
      undefined,
      "QUEUE",
    ],
    [
      "the named operation of several",
      'query Browse { events { totalCount } } mutation Hold { holdSeats(eventId: "e", seatIds: [], idempotencyKey: "k") { id } }',
      "Browse",
      "GENERAL",
    ],
    [
      "several operations and no name: the strictest of them all",
      'query Browse { events { totalCount } } mutation Hold { holdSeats(eventId: "e", seatIds: [], idempotencyKey: "k") { id } }',
      undefined,
      "BOOKING",
    ],
    [
      "an aliased field counts by its name",
      'mutation { safe: login(input: { email: "a@b.c", password: "p" }) { accessToken } }',
      undefined,
      "AUTH",
    ],
    ["introspection", "{ __schema { queryType { name } } }", undefined, "GENERAL"],
  ];

  it.each(cases)("%s", (_title, source, operationName, expected) => {
    expect(categoryOfOperation(parse(source), operationName, lookup)).toBe(expected);
  });

  it("the strictest is the one with the lowest configured limit", () => {
    const document = parse(
      'mutation { login(input: { email: "a@b.c", password: "p" }) { accessToken } cancelReservation(id: "r") { id } }',
    );
    expect(categoryOfOperation(document, undefined, lookup)).toBe("BOOKING");
    expect(categoryOfOperation(document, undefined, lookup, { ...DEFAULT_LIMITS_PER_MINUTE, AUTH: 10 })).toBe(
      "AUTH",
    );
  });
});

describe("categoriesFromSupergraph on other schemas", () => {
  const supergraph = (link: string, directive: string, category = "BOOKING") => `
    schema @link(url: "https://specs.apollo.dev/link/v1.0") ${link} { query: Query mutation: Mutation }
    type Query { a: Int }
    type Mutation { pay: Int ${directive}(category: ${category}) other: Int }
  `;

  it("follows a renamed import", () => {
    const sdl = supergraph(
      '@link(url: "https://urr.dev/rateLimit/v1.0", import: [{ name: "@rateLimit", as: "@throttle" }])',
      "@throttle",
    );
    expect([...categoriesFromSupergraph(sdl).annotated]).toEqual([["Mutation.pay", "BOOKING"]]);
  });

  it("reads every category, COMMUNITY (posting on artist boards) included", () => {
    const sdl = supergraph(
      '@link(url: "https://urr.dev/rateLimit/v1.0", import: ["@rateLimit"])',
      "@rateLimit",
      "COMMUNITY",
    );
    expect([...categoriesFromSupergraph(sdl).annotated]).toEqual([["Mutation.pay", "COMMUNITY"]]);
  });

  it("maps everything to GENERAL when the feature is not linked (no subgraph uses it)", () => {
    const lookup = categoriesFromSupergraph(supergraph("", "@rateLimit"));
    expect(lookup.annotated.size).toBe(0);
    expect(lookup.categoryOf("Mutation.pay")).toBe("GENERAL");
  });

  it("refuses an unknown category rather than quietly counting it as GENERAL", () => {
    const sdl = supergraph(
      '@link(url: "https://urr.dev/rateLimit/v1.0", import: ["@rateLimit"])',
      "@rateLimit",
      "BOKING",
    );
    expect(() => categoriesFromSupergraph(sdl)).toThrow(
      /Mutation.pay: @rateLimit\(category:\) must be one of/,
    );
  });
});
