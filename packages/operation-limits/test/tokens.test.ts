import { parse } from "graphql";
import { countTokens, documentTokens, OperationTooComplexError, parseWithinLimits } from "../src/index.ts";

const QUERY = `# a comment is not a token
query Q($id: ID!) { event(id: $id) { id title ...F } } fragment F on Event { venue }`;

it("counts tokens as graphql-js's parser does, from the text and from a parsed document", () => {
  const exact = countTokens(QUERY);
  expect(() => parse(QUERY, { maxTokens: exact })).not.toThrow();
  expect(() => parse(QUERY, { maxTokens: exact - 1 })).toThrow(/tokens/);
  expect(documentTokens(parse(QUERY))).toBe(exact);
});

it("stops counting just past the limit", () => {
  expect(countTokens("{ a } ".repeat(100_000), 10)).toBe(11);
});

it("refuses over the limit with the coded error and lets real syntax errors through", () => {
  const exact = countTokens(QUERY);
  expect(parseWithinLimits(QUERY, { maxTokens: exact }).definitions).toHaveLength(2);
  expect(() => parseWithinLimits(QUERY, { maxTokens: exact - 1 })).toThrow(OperationTooComplexError);
  expect(() => parseWithinLimits("{ event(", { maxTokens: 100 })).toThrow(/Syntax Error/);
});
