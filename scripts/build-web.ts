/**
 * `npm run web:build -- <page> [--copy-to <dir>]`: builds web/<page>/ (the schema explorer:
 * `explorer`; the live on-sale demo: `demo`) into the build cache, or says it is built already, and
 * prints the directory the gateway serves it from (EXPLORER_DIR, DEMO_DIR). `--copy-to` copies the build to a fixed place as well (the
 * container image serves it from there). `npm start` builds by itself; this is for running the
 * gateway on its own, and for images.
 */
import { cp, rm } from "node:fs/promises";
import path from "node:path";
import { buildWebPage } from "./lib/web-build.ts";

async function main(): Promise<void> {
  const [page, ...rest] = process.argv.slice(2);
  if (!page || page.startsWith("-")) throw new Error("usage: npm run web:build -- <page> [--copy-to <dir>]");
  const copyAt = rest.indexOf("--copy-to");
  const copyTo = copyAt >= 0 ? rest[copyAt + 1] : undefined;
  if (copyAt >= 0 && !copyTo) throw new Error("--copy-to needs a directory");
  const build = await buildWebPage(page);
  console.log(
    `web/${page} ${build.built ? `built in ${build.seconds.toFixed(1)} s` : "unchanged since the last build"}: ${build.outDir}`,
  );
  if (copyTo) {
    const target = path.resolve(copyTo);
    await rm(target, { recursive: true, force: true });
    await cp(build.outDir, target, { recursive: true });
    console.log(`copied to ${target}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
