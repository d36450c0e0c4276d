import { createLogger } from "@urr/logger";
import { onShutdownSignal } from "@urr/subgraph-kit";
import { startAuthApp } from "./app.ts";
import { loadAuthConfig } from "./config.ts";

async function main(): Promise<void> {
  const config = loadAuthConfig();
  const logger = createLogger("auth", { level: config.LOG_LEVEL });
  const app = await startAuthApp(config, logger);
  onShutdownSignal(logger, [() => app.stop()]);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
