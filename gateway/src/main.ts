import { runService } from "@urr/subgraph-kit";
import { loadGatewayConfig } from "./config.ts";
import { startGateway } from "./server.ts";

// @apollo/gateway reports usage and probes cloud metadata unless told not to: we call no outside host.
process.env.APOLLO_TELEMETRY_DISABLED = "true";

runService("gateway", loadGatewayConfig, startGateway);
