import { parse, validate } from "graphql";
import {
  GATEWAY_OPERATION_LIMITS,
  type LimitName,
  measureOperation,
  type OperationMeasurement,
} from "../src/index.ts";
import { loadApiSchema } from "./support/api-schema.ts";
import { PRODUCT_OPERATIONS } from "./support/product-operations.ts";

/**
 * The product's own operations, measured against the gateway's defaults: each must be valid against
 * the supergraph (so the list stays true to the schema) and stay at or under half of every maximum
 * (introspection, one fixed query, only has to fit).
 * The figures are printed for the package README (`npm test -- operation-limits/test/product`).
 */
const schema = loadApiSchema();
const HEADROOM = 2;
const MAXIMUM: Record<LimitName, number> = {
  depth: GATEWAY_OPERATION_LIMITS.maxDepth,
  aliases: GATEWAY_OPERATION_LIMITS.maxAliases,
  rootFields: GATEWAY_OPERATION_LIMITS.maxRootFields,
  tokens: GATEWAY_OPERATION_LIMITS.maxTokens,
  directives: GATEWAY_OPERATION_LIMITS.maxDirectives,
  repeatedFields: GATEWAY_OPERATION_LIMITS.maxRepeatedFields,
  selections: GATEWAY_OPERATION_LIMITS.maxSelections,
  cost: GATEWAY_OPERATION_LIMITS.maxCost,
};

const measured: Record<string, OperationMeasurement> = {};

afterAll(() => {
  // A Markdown table, as it appears in the README (jest's console output would be lint-refused).
  const columns = Object.keys(MAXIMUM) as LimitName[];
  const rows = Object.entries(measured).map(
    ([name, m]) => `| ${name} | ${columns.map((c) => m[c]).join(" | ")} |`,
  );
  const header = `| operation | ${columns.join(" | ")} |\n|---|${columns.map(() => "---:").join("|")}|`;
  process.stdout.write(
    `\n${header}\n${rows.join("\n")}\n| **gateway maximum** | ${columns.map((c) => MAXIMUM[c]).join(" | ")} |\n`,
  );
});

it.each(Object.entries(PRODUCT_OPERATIONS))(
  "%s fits the gateway's limits with headroom",
  (name, operation) => {
    const document = parse(operation.query);
    expect(validate(schema, document)).toEqual([]);
    const verdict = measureOperation(document, {
      schema,
      limits: GATEWAY_OPERATION_LIMITS,
      variables: operation.variables,
    });
    if (!verdict.ok) throw new Error(`${name} refused on ${JSON.stringify(verdict.exceeded)}`);
    measured[name] = verdict.measurement;
    // Introspection is one fixed query (its depth is graphql-js's TypeRef nesting): it only has to fit.
    const headroom = operation.fixed ? 1 : HEADROOM;
    const tight = (Object.keys(MAXIMUM) as LimitName[]).filter(
      (limit) => verdict.measurement[limit] * headroom > MAXIMUM[limit],
    );
    expect(tight).toEqual([]);
  },
);
