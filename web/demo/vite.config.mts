import { readFileSync } from "node:fs";
import path from "node:path";
import { defineConfig, type Plugin } from "vite";

/**
 * The live on-sale demo, built into static files the gateway serves at /demo (gateway/src/demo/):
 * every script and style is bundled, so the page loads nothing from another host. Built by
 * scripts/build-web.ts into a cache directory keyed by these sources, the registered documents'
 * manifest and the lockfile; `--outDir` says where.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: "/demo/",
  publicDir: false,
  envDir: false,
  logLevel: "warn",
  plugins: [registeredDocuments()],
  build: {
    emptyOutDir: true,
    reportCompressedSize: false,
    sourcemap: false,
  },
});

/**
 * `virtual:web-documents`: the ids of the web frontend's registered documents (documents/web/,
 * compiled into documents/manifest.json), by operation name. The page sends an id instead of the
 * text, as URR's own frontend does; only the web client's ids are bundled, never a partner's.
 */
function registeredDocuments(): Plugin {
  const id = "virtual:web-documents";
  const manifestPath = path.resolve(import.meta.dirname, "../../documents/manifest.json");
  return {
    name: "urr-registered-documents",
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(resolved) {
      if (resolved !== `\0${id}`) return undefined;
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
        operations: { id: string; name: string; clientName: string | null }[];
      };
      const ids = Object.fromEntries(
        manifest.operations.filter((op) => op.clientName === "web").map((op) => [op.name, op.id]),
      );
      return `export const documentIds = ${JSON.stringify(ids)};`;
    },
  };
}
