import { parse, validate } from "graphql";
import {
  GATEWAY_OPERATION_LIMITS,
  measureOperation,
  OperationTooComplexError,
  parseWithinLimits,
} from "../src/index.ts";
import { loadApiSchema } from "./support/api-schema.ts";
import { deepNesting, fragmentBomb, manyAliases, repeatedField } from "./support/hostile-operations.ts";

/**
 * The operations that closed the gateway in issue 11 are refused by measurement alone, each naming
 * the limit it broke. The limits are raised where needed so that each attack meets the limit it is
 * about (not the token limit that would otherwise stop all three first). Timings are in
 * test/hostile-operations.bench.ts.
 */
const schema = loadApiSchema();
const unlimitedTokens = { ...GATEWAY_OPERATION_LIMITS, maxTokens: Number.MAX_SAFE_INTEGER };

function verdictOf(source: string, limits = unlimitedTokens) {
  return measureOperation(parse(source), { schema, limits });
}

it("refuses 2,000 aliases of a nested list field on its aliases", () => {
  expect(verdictOf(manyAliases(2000))).toEqual({
    ok: false,
    exceeded: { limit: "aliases", measured: GATEWAY_OPERATION_LIMITS.maxAliases + 1, maximum: 30 },
  });
});

it("refuses the 2,000 aliases on their cost when aliases are allowed", () => {
  const verdict = verdictOf(manyAliases(2000), {
    ...unlimitedTokens,
    maxAliases: 10_000,
    maxRootFields: 10_000,
    maxSelections: 100_000,
  });
  expect(verdict).toMatchObject({ ok: false, exceeded: { limit: "cost", maximum: 20_000 } });
});

it("refuses one field repeated 20,000 times on the repeated-field limit", () => {
  expect(verdictOf(repeatedField(20_000))).toEqual({
    ok: false,
    exceeded: { limit: "repeatedFields", measured: 11, maximum: 10 },
  });
});

it("refuses a 30-level nesting of events → artist → events on its depth", () => {
  const source = deepNesting(30);
  expect(validate(schema, parse(source))).toEqual([]);
  expect(verdictOf(source)).toEqual({
    ok: false,
    exceeded: { limit: "depth", measured: 21, maximum: 20 },
  });
});

it("refuses a fragment bomb on its expanded selections without expanding it", () => {
  // 2^40 selections if expanded: measured by arithmetic over memoised fragments.
  expect(verdictOf(fragmentBomb(40))).toMatchObject({ ok: false, exceeded: { limit: "selections" } });
});

it("refuses each attack as text at parse time on its tokens", () => {
  for (const source of [manyAliases(2000), repeatedField(20_000)]) {
    expect(() => parseWithinLimits(source, GATEWAY_OPERATION_LIMITS)).toThrow(OperationTooComplexError);
  }
});
