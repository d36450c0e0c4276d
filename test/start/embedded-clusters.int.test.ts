import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createMissingClusters } from "../../scripts/lib/embedded-clusters.ts";

/**
 * A first `npm start` makes its four PGlite clusters from one cached initdb. Each copy is a cluster
 * of its own, a directory that holds anything is never touched, and a later start with a new data
 * directory copies the cached template instead of running initdb again.
 */
let work: string;
const cache = () => path.join(work, "cache");
const dataDir = (name: string) => path.join(work, "data", name);

const ROOT = path.resolve(__dirname, "../..");

async function inNode(script: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: ROOT });
  return stdout.trim();
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "urr-clusters-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

it("creates every missing cluster as an independent PostgreSQL cluster, and leaves others alone", async () => {
  mkdirSync(dataDir("empty"), { recursive: true });
  mkdirSync(dataDir("occupied"), { recursive: true });
  writeFileSync(path.join(dataDir("occupied"), "keep.txt"), "someone's data");

  const result = await createMissingClusters(
    [dataDir("auth"), dataDir("empty"), dataDir("occupied")],
    cache(),
  );

  expect(result).toEqual({ created: [dataDir("auth"), dataDir("empty")], ranInitdb: true });
  expect(readdirSync(dataDir("occupied"))).toEqual(["keep.txt"]);
  // Outside jest's module sandbox, where PGlite's dynamic imports work.
  const seen = await inNode(
    `const { PGlite } = require("@electric-sql/pglite");
     (async () => {
       const auth = await PGlite.create(${JSON.stringify(dataDir("auth"))});
       const other = await PGlite.create(${JSON.stringify(dataDir("empty"))});
       await auth.exec("CREATE TABLE only_in_auth (id int)");
       const mine = await auth.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_auth'");
       const theirs = await other.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_auth'");
       await auth.close();
       await other.close();
       console.log(JSON.stringify([mine.rows[0].n, theirs.rows[0].n]));
     })();`,
  );
  expect(JSON.parse(seen)).toEqual([1, 0]);
  // Nothing half made is left beside the clusters.
  expect(readdirSync(path.join(work, "data")).sort()).toEqual(["auth", "empty", "occupied"]);
}, 120_000);

it("does nothing when every cluster exists", async () => {
  expect(await createMissingClusters([dataDir("auth"), dataDir("empty")], cache())).toEqual({
    created: [],
    ranInitdb: false,
  });
});

it("copies the cached template for a new data directory instead of running initdb again", async () => {
  const [template] = readdirSync(cache());
  expect(template).toMatch(/^pglite-.*-cluster$/);
  // A file only the template has: a fresh initdb would not write it.
  writeFileSync(path.join(cache(), template as string, "from-template"), "");

  const result = await createMissingClusters([dataDir("payment")], cache());

  expect(result).toEqual({ created: [dataDir("payment")], ranInitdb: false });
  expect(existsSync(path.join(dataDir("payment"), "from-template"))).toBe(true);
  expect(existsSync(path.join(dataDir("payment"), "PG_VERSION"))).toBe(true);
});
