import { createLogger } from "@urr/logger";
import { onShutdownSignal } from "@urr/subgraph-kit";
import { startCatalogApp } from "./app.ts";
import { loadCatalogConfig } from "./config.ts";

async function main(): Promise<void> {
  const config = loadCatalogConfig();
  const logger = createLogger("catalog", { level: config.LOG_LEVEL });
  const app = await startCatalogApp(config, logger);
  onShutdownSignal(logger, [() => app.stop()]);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
