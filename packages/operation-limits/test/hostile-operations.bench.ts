/**
 * How long refusing each heavy operation of issue 11 takes, and what graphql-js validation alone
 * would have cost for it (what the limits spare the server).
 * Run: node --import tsx packages/operation-limits/test/hostile-operations.bench.ts
 */
import { performance } from "node:perf_hooks";
import { parse, validate } from "graphql";
import { GATEWAY_OPERATION_LIMITS, measureOperation, refusalFor } from "../src/index.ts";
import { loadApiSchema } from "./support/api-schema.ts";
import { deepNesting, fragmentBomb, manyAliases, repeatedField } from "./support/hostile-operations.ts";

const schema = loadApiSchema();
const RUNS = 20;
const unlimitedTokens = { ...GATEWAY_OPERATION_LIMITS, maxTokens: Number.MAX_SAFE_INTEGER };

function median(run: () => unknown): number {
  run(); // warm up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? Number.NaN;
}

const attacks = {
  "2,000 aliases of events(first: 20) { … availability }": manyAliases(2000),
  "one field repeated 20,000 times": repeatedField(20_000),
  "30-deep events → artist → events": deepNesting(30),
  "fragment bomb (2^40 selections expanded)": fragmentBomb(40),
};

/**
 * Validation's overlapping-fields rule is quadratic in repeated fields (20,000 repeats run for
 * minutes): it is timed on 2,000 repeats instead, and not at all on the bomb.
 */
function validateOnce(name: string, source: string): string {
  if (name.includes("bomb")) return "(not run)";
  const repeated = name.includes("repeated");
  const document = parse(repeated ? repeatedField(2000) : source);
  const start = performance.now();
  validate(schema, document);
  return `${(performance.now() - start).toFixed(0)}${repeated ? " (2,000 repeats)" : ""}`;
}

const rows = Object.entries(attacks).map(([name, source]) => {
  const document = parse(source);
  const text = refusalFor({ query: source }, { schema, limits: GATEWAY_OPERATION_LIMITS });
  const measured = measureOperation(document, { schema, limits: unlimitedTokens });
  return {
    attack: name,
    kb: Math.round(source.length / 1024),
    "refused as text on": text?.extensions.limit,
    "text → refusal ms": median(() =>
      refusalFor({ query: source }, { schema, limits: GATEWAY_OPERATION_LIMITS }),
    ).toFixed(2),
    "parsed, refused on": measured.ok ? "—" : measured.exceeded.limit,
    "measure ms": median(() => measureOperation(document, { schema, limits: unlimitedTokens })).toFixed(3),
    "graphql-js validate ms, once (avoided)": validateOnce(name, source),
  };
});
// A Markdown table, as in the README (console is for scripts and bench/ only).
const columns = Object.keys(rows[0] ?? {}) as (keyof (typeof rows)[number])[];
const lines = [
  columns.join(" | "),
  columns.map(() => "---").join(" | "),
  ...rows.map((r) => columns.map((c) => r[c]).join(" | ")),
];
process.stdout.write(`${lines.map((line) => `| ${line} |`).join("\n")}\n`);
