import { createLogger } from "@urr/logger";
import { onShutdownSignal } from "@urr/subgraph-kit";
import { startTicketApp } from "./app.ts";
import { loadTicketConfig } from "./config.ts";

async function main(): Promise<void> {
  const config = loadTicketConfig();
  const logger = createLogger("ticket", { level: config.LOG_LEVEL });
  const app = await startTicketApp(config, logger);
  onShutdownSignal(logger, [() => app.stop()]);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
