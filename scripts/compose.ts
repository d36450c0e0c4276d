/**
 * Composes supergraph.yaml into supergraph.graphql with @apollo/composition.
 *
 *   npm run compose            write supergraph.graphql
 *   npm run compose -- --check exit 1 when the committed supergraph.graphql is stale
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { composeSupergraph, SUPERGRAPH_PATH } from "./lib/composition.ts";

const check = process.argv.includes("--check");
const result = composeSupergraph();
if (!result.ok) {
  console.error(`Composition failed:\n${result.errors.map((e) => `  - ${e}`).join("\n")}`);
  process.exit(1);
}
const current = readFileSync(SUPERGRAPH_PATH, { encoding: "utf8", flag: "a+" });
const relative = path.relative(process.cwd(), SUPERGRAPH_PATH);
if (check) {
  if (current !== result.supergraphSdl) {
    console.error(`${relative} is stale: run npm run compose`);
    process.exit(1);
  }
  console.log(`${relative} is up to date`);
} else {
  writeFileSync(SUPERGRAPH_PATH, result.supergraphSdl);
  console.log(`wrote ${relative} (${result.subgraphs.join(", ")})`);
}
