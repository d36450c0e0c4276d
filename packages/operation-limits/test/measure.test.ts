import { buildSchema, parse } from "graphql";
import {
  assertWithinLimits,
  GATEWAY_OPERATION_LIMITS,
  measureOperation,
  type OperationLimits,
  type OperationMeasurement,
} from "../src/index.ts";

const schema = buildSchema(`
  type Query { events(first: Int = 20, after: String): EventConnection! event(id: ID!): Event
    tags: [String!]! _entities(representations: [String!]!): [Event]! }
  type EventConnection { edges: [EventEdge!]! pageInfo: PageInfo! }
  type EventEdge { node: Event! }
  type PageInfo { hasNextPage: Boolean! }
  type Event { id: ID! title: String! seats(limit: Int): [Seat!]! sections: [Section!]! artist: Artist! }
  type Section { name: String! }
  type Seat { id: ID! label: String! }
  type Artist { name: String! events(first: Int = 20): EventConnection! }
`);

const generous: OperationLimits = {
  ...GATEWAY_OPERATION_LIMITS,
  maxCost: 1e12,
  maxDepth: 100,
  maxAliases: 1e6,
  maxRepeatedFields: 1e6,
  maxSelections: 1e6,
};

function measure(
  source: string,
  options: { limits?: Partial<OperationLimits>; variables?: Record<string, unknown> } = {},
): OperationMeasurement {
  const verdict = measureOperation(parse(source), {
    schema,
    limits: { ...generous, ...options.limits },
    variables: options.variables,
  });
  if (!verdict.ok) throw new Error(`refused on ${verdict.exceeded.limit}`);
  return verdict.measurement;
}

describe("counts", () => {
  it("measures depth, aliases, root fields, selections, directives and tokens", () => {
    const m = measure(`query Q($skip: Boolean = false) {
      a: event(id: "1") { title @skip(if: $skip) artist { name } }
      b: event(id: "2") @include(if: true) { id }
      tags
    }`);
    expect(m).toMatchObject({ depth: 3, aliases: 2, rootFields: 3, selections: 7, directives: 2 });
    expect(m.tokens).toBeGreaterThan(30);
  });

  it("expands fragments for every count but does not add depth for them", () => {
    const m = measure(`{ event(id: "1") { ...E ...E2 } }
      fragment E on Event { t1: title artist { name } }
      fragment E2 on Event { ...E }`);
    // event + (title + artist + name) twice
    expect(m).toMatchObject({ depth: 3, aliases: 2, selections: 7 });
  });

  it("counts root fields through fragments at the root", () => {
    expect(measure(`{ ...R tags } fragment R on Query { tags t2: tags }`).rootFields).toBe(3);
  });

  it("counts the most times one response key or fragment appears in one selection set", () => {
    expect(measure(`{ event(id: "1") { id id id title } }`).repeatedFields).toBe(3);
    expect(measure(`{ event(id: "1") { ...E ...E } } fragment E on Event { id }`).repeatedFields).toBe(2);
    // Aliases are different response keys.
    expect(measure(`{ event(id: "1") { id other: id } }`).repeatedFields).toBe(1);
  });

  it("measures a fragment no operation uses, since validation still visits it", () => {
    const source = `{ tags } fragment Unused on Event { id id id id id }`;
    expect(measure(source).repeatedFields).toBe(5);
  });

  it("survives fragment cycles and unknown fragments (validation refuses them later)", () => {
    const m = measure(`{ event(id: "1") { ...A ...Missing } }
      fragment A on Event { id ...B } fragment B on Event { title ...A }`);
    expect(m.selections).toBe(3);
  });
});

describe("cost", () => {
  it("multiplies a connection's edges by its first argument", () => {
    // events 1 + 5 edges × (edge 1 + node 1) = 11; pageInfo costs 1 once.
    expect(measure(`{ events(first: 5) { edges { node { id } } pageInfo { hasNextPage } } }`).cost).toBe(12);
  });

  it("reads the size from a variable, then the operation's default, then the schema's", () => {
    const source = `query($n: Int = 3) { events(first: $n) { edges { node { id } } } }`;
    expect(measure(source, { variables: { n: 10 } }).cost).toBe(1 + 10 * 2);
    expect(measure(source).cost).toBe(1 + 3 * 2);
    expect(measure(`{ events { edges { node { id } } } }`).cost).toBe(1 + 20 * 2);
  });

  it("multiplies nested lists, unbounded ones by the default list size", () => {
    const source = `{ events(first: 2) { edges { node { sections { name } seats(limit: 4) { id } } } } }`;
    // node: 1 + sections 7 × 1 + seats 4 × 1 = 12; edges 2 × (1 + 12) = 26; events 1 + 26.
    expect(measure(source, { limits: { defaultListSize: 7 } }).cost).toBe(27);
  });

  it("applies configured weights and list sizes per Type.field", () => {
    const source = `{ event(id: "1") { title sections { name } } }`;
    expect(measure(source, { limits: { defaultListSize: 10 } }).cost).toBe(1 + 10);
    expect(
      measure(source, {
        limits: {
          defaultListSize: 10,
          fieldCosts: { "Event.title": 5, "Section.name": 1 },
          listSizes: { "Event.sections": 3 },
        },
      }).cost,
    ).toBe(1 + 5 + 3 * (1 + 1));
  });

  it("sizes an _entities fetch by its representations, given inline or as a variable", () => {
    const source = `query($r: [String!]!) { _entities(representations: $r) { ... on Event { id artist { name } } } }`;
    expect(measure(source, { variables: { r: Array(50).fill("x") } }).cost).toBe(50 * (1 + 1));
    expect(measure(`{ _entities(representations: ["a", "b"]) { id } }`).cost).toBe(2);
  });

  it("multiplies a fragment's cost by where it is spread", () => {
    const source = `{ events(first: 4) { edges { node { ...E } } } } fragment E on Event { artist { name } }`;
    expect(measure(source).cost).toBe(1 + 4 * (1 + 1 + 1));
  });
});

describe("refusals", () => {
  it("stops at the first limit exceeded and names it, with what was measured and the maximum", () => {
    const verdict = measureOperation(
      parse(`{ event(id: "1") { artist { events { edges { node { id } } } } } }`),
      {
        schema,
        limits: { ...generous, maxDepth: 4 },
      },
    );
    expect(verdict).toEqual({ ok: false, exceeded: { limit: "depth", measured: 5, maximum: 4 } });
  });

  it("refuses each limit by its own name", () => {
    const cases: [Partial<OperationLimits>, string, string][] = [
      [{ maxAliases: 1 }, `{ a: tags b: tags }`, "aliases"],
      [{ maxRootFields: 1 }, `{ tags event(id: "1") { id } }`, "rootFields"],
      [{ maxDirectives: 1 }, `{ tags @skip(if: false) @include(if: true) }`, "directives"],
      [{ maxRepeatedFields: 2 }, `{ tags tags tags }`, "repeatedFields"],
      [{ maxSelections: 2 }, `{ event(id: "1") { id title } }`, "selections"],
      [{ maxCost: 40 }, `{ events(first: 50) { edges { node { id } } } }`, "cost"],
      [{ maxTokens: 5 }, `{ event(id: "1") { id } }`, "tokens"],
    ];
    for (const [limits, source, limit] of cases) {
      const verdict = measureOperation(parse(source), { schema, limits: { ...generous, ...limits } });
      expect(verdict).toMatchObject({ ok: false, exceeded: { limit } });
    }
  });

  it("reports an overflowing cost as a finite number", () => {
    const source = `query($n: Int) { events(first: $n) { edges { node { artist { events(first: $n) { edges { node { id } } } } } } } }`;
    const verdict = measureOperation(parse(source), { schema, limits: generous, variables: { n: 1e308 } });
    expect(verdict).toEqual({
      ok: false,
      exceeded: { limit: "cost", measured: Number.MAX_SAFE_INTEGER, maximum: generous.maxCost },
    });
  });

  it("throws one coded GraphQLError for a 400", () => {
    expect.assertions(2);
    try {
      assertWithinLimits(parse(`{ a: tags b: tags }`), { schema, limits: { ...generous, maxAliases: 1 } });
    } catch (error) {
      expect((error as Error).message).toBe(
        "Operation refused: its number of aliases is at least 2, over the maximum of 1.",
      );
      expect((error as { extensions: unknown }).extensions).toEqual({
        code: "OPERATION_TOO_COMPLEX",
        limit: "aliases",
        measured: 2,
        maximum: 1,
        http: { status: 400 },
      });
    }
  });
});
