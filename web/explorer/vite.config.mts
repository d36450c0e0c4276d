import { defineConfig } from "vite";

/**
 * The schema explorer, built into static files the gateway serves itself: every script, style,
 * font and Monaco worker is bundled (GraphiQL's `setup-workers/vite` makes the workers part of the
 * build), so the page loads nothing from another host. Built by scripts/build-web.ts into a cache
 * directory keyed by these sources and the lockfile; `--outDir` says where.
 */
export default defineConfig({
  root: import.meta.dirname,
  // The gateway serves the built files under /explorer/ (gateway/src/explorer/).
  base: "/explorer/",
  // Nothing is copied from a public/ folder, and no .env file is read.
  publicDir: false,
  envDir: false,
  logLevel: "warn",
  build: {
    emptyOutDir: true,
    // GraphiQL with Monaco is a few megabytes however it is split; served once, cached for good.
    chunkSizeWarningLimit: 8192,
    reportCompressedSize: false,
    sourcemap: false,
    rolldownOptions: {
      // React libraries mark modules "use client" for server components; a browser bundle has no
      // use for the directive, and the warning for each of them would bury a real one.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
  worker: { format: "es" },
});
