/**
 * `npm run codegen:check`: exit 1 when a committed generated resolver file differs from what
 * codegen.ts would write now (the schema changed and `npm run codegen` was not run).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import config from "../codegen.ts";
import { ROOT } from "./lib/composition.ts";

async function main(): Promise<number> {
  const outputs = await generate({ ...config, cwd: ROOT, silent: true }, false);
  let stale = 0;
  for (const output of outputs) {
    const file = path.resolve(ROOT, output.filename);
    let committed = "";
    try {
      committed = readFileSync(file, "utf8");
    } catch {
      // missing counts as stale
    }
    if (committed !== output.content) {
      stale++;
      console.error(`${path.relative(ROOT, file)} is stale: run npm run codegen`);
    } else {
      console.log(`${path.relative(ROOT, file)} is up to date`);
    }
  }
  return stale ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
