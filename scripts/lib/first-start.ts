import { existsSync } from "node:fs";
import path from "node:path";
import { clusterTemplate } from "./cluster-template.ts";

/**
 * start.ts's first import, evaluated before the rest of the start script is even loaded: on a
 * first start (no embedded catalog cluster yet, no cached template) it begins PGlite's initdb at
 * once (see cluster-template.ts). The start script asks for the template again when it creates
 * the clusters and gets this same promise, and any failure of it there. Paths as start.ts reads
 * them (URR_DATA_DIR, URR_CACHE_DIR); a start with a database URL for catalog skips it.
 */
const ROOT = path.resolve(__dirname, "../..");
const catalogCluster = path.resolve(
  ROOT,
  process.env.URR_DATA_DIR || ".urr",
  "data",
  "catalog",
  "PG_VERSION",
);
if (!process.env.CATALOG_DATABASE_URL && !existsSync(catalogCluster)) {
  const cacheDir = path.join(path.resolve(ROOT, process.env.URR_CACHE_DIR || ".urr"), "cache");
  clusterTemplate(ROOT, cacheDir).catch(() => {}); // reported by the start script's own call
}
