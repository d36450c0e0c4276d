/**
 * Generates each stateful subgraph's Prisma client (committed, so `npm ci` needs no generate step).
 *
 *   npm run prisma:generate            regenerate every client
 *   npm run prisma:generate -- --check exit 1 when a committed client is stale
 *
 * PRISMA_SCHEMA_ENGINE_BINARY=/bin/false keeps the CLI from downloading an engine it does not need
 * for `generate` (these machines are offline).
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./lib/composition.ts";
import { diffDirectories } from "./lib/diff-directories.ts";

const PRISMA = path.join(ROOT, "node_modules", ".bin", "prisma");
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", PRISMA_HIDE_UPDATE_MESSAGE: "1" };

function generate(cwd: string, subgraph: string): void {
  execFileSync(PRISMA, ["generate", "--schema", `prisma/${subgraph}/schema.prisma`], {
    cwd,
    env,
    stdio: "pipe",
  });
}

const subgraphs = readdirSync(path.join(ROOT, "prisma")).filter((name) =>
  existsSync(path.join(ROOT, "prisma", name, "schema.prisma")),
);

if (process.argv.includes("--check")) {
  let stale = false;
  for (const subgraph of subgraphs) {
    // Generate into a scratch tree of the same shape; the schema's relative output lands inside it.
    const scratch = mkdtempSync(path.join(tmpdir(), "urr-prisma-"));
    try {
      cpSync(path.join(ROOT, "prisma", subgraph), path.join(scratch, "prisma", subgraph), {
        recursive: true,
      });
      generate(scratch, subgraph);
      const generated = `subgraphs/${subgraph}/src/generated/prisma`;
      const differences = diffDirectories(path.join(scratch, generated), path.join(ROOT, generated));
      if (differences.length) {
        stale = true;
        console.error(`${generated} is stale (${differences.join(", ")}): run npm run prisma:generate`);
      } else {
        console.log(`${generated} is up to date`);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  process.exit(stale ? 1 : 0);
} else {
  for (const subgraph of subgraphs) {
    generate(ROOT, subgraph);
    console.log(`generated the ${subgraph} Prisma client`);
  }
}
