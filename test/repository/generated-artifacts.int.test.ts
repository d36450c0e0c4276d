import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Committed artifacts must match their sources: the supergraph its subgraph schemas, the trusted
 * documents' manifest its documents, resolver types their schemas, Prisma clients and migrations
 * their schema.prisma. Each check is the same command a developer runs; integration tier because
 * the migration check replays migrations into a shadow PostgreSQL database.
 */
const ROOT = path.resolve(__dirname, "../..");
const run = promisify(execFile);

async function check(script: string, ...args: string[]) {
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", path.join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

describe("generated artifacts are fresh", () => {
  it("supergraph.graphql composes from supergraph.yaml and is committed up to date", async () => {
    const result = await check("scripts/compose.ts", "--check");
    expect(result.output).toContain("up to date");
    expect(result.code).toBe(0);
  });

  it("documents/manifest.json compiles from documents/ and is committed up to date", async () => {
    const result = await check("scripts/documents.ts", "--check");
    expect(result.output).toContain("up to date");
    expect(result.code).toBe(0);
  });

  it("resolver types match the subgraph schemas (codegen)", async () => {
    const result = await check("scripts/codegen-check.ts");
    expect(result.output).not.toContain("stale");
    expect(result.code).toBe(0);
  });

  it("Prisma clients match their schema.prisma", async () => {
    const result = await check("scripts/prisma-generate.ts", "--check");
    expect(result.output).not.toContain("stale");
    expect(result.code).toBe(0);
  });

  it("migrations match schema.prisma (no drift)", async () => {
    const result = await check("scripts/migrate.ts", "check");
    expect(result.output).toContain("auth: schema and migrations agree");
    expect(result.code).toBe(0);
  });
});
