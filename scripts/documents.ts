/**
 * Compiles the trusted documents (documents/web, documents/partners) into documents/manifest.json,
 * Apollo's persisted-query manifest, after validating each against the supergraph's API schema.
 *
 *   npm run documents            write documents/manifest.json
 *   npm run documents -- --check exit 1 when the committed manifest is stale
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadApiSchema } from "./lib/api-schema.ts";
import { compileDocuments, MANIFEST_PATH } from "./lib/trusted-documents.ts";

const check = process.argv.includes("--check");
const result = compileDocuments({ schema: loadApiSchema() });
if (!result.ok) {
  console.error(`Trusted documents refused:\n${result.errors.map((e) => `  - ${e}`).join("\n")}`);
  process.exit(1);
}
const current = readFileSync(MANIFEST_PATH, { encoding: "utf8", flag: "a+" });
const relative = path.relative(process.cwd(), MANIFEST_PATH);
if (check) {
  if (current !== result.text) {
    console.error(`${relative} is stale: run npm run documents`);
    process.exit(1);
  }
  console.log(`${relative} is up to date (${result.documents.length} operations)`);
} else {
  writeFileSync(MANIFEST_PATH, result.text);
  const count = (client: string) => result.documents.filter((d) => d.clientName === client).length;
  console.log(
    `wrote ${relative} (${result.documents.length} operations: web ${count("web")}, partners ${count("partners")})`,
  );
}
