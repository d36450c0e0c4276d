import { createLogger } from "@urr/logger";
import { onShutdownSignal } from "@urr/subgraph-kit";
import { loadGatewayConfig } from "./config.ts";
import { startGateway } from "./server.ts";

// @apollo/gateway reports usage and probes cloud metadata unless told not to: we call no outside host.
process.env.APOLLO_TELEMETRY_DISABLED = "true";

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger("gateway", { level: config.LOG_LEVEL });
  const gateway = await startGateway(config, logger);
  onShutdownSignal(logger, [() => gateway.stop()]);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
