import { parse } from "graphql";
import { readsOnlySchema, readsSchema, withoutSuggestions } from "../../src/edge/introspection.ts";

describe("what reads the schema", () => {
  it.each([
    ["{ __schema { queryType { name } } }", true, true],
    ['{ __type(name: "Event") { fields { name } } }', true, true],
    ["{ __typename }", false, true],
    ["query A { __schema { types { ...T } } } fragment T on __Type { name }", true, true],
    ["{ __schema { queryType { name } } events { pageInfo { hasNextPage } } }", true, false],
    ["{ ... on Query { __schema { queryType { name } } } }", true, false],
    ["query A { __typename } query B { me { id } }", false, false],
    ["{ events { edges { node { __typename } } } }", false, false],
  ])("%s: reads the schema %s, reads only the schema %s", (source, reads, only) => {
    const document = parse(source);
    expect([readsSchema(document), readsOnlySchema(document)]).toEqual([reads, only]);
  });
});

it("drops graphql-js's guesses from a validation message", () => {
  expect(withoutSuggestions('Cannot query field "evnts" on type "Query". Did you mean "events"?')).toBe(
    'Cannot query field "evnts" on type "Query".',
  );
});
