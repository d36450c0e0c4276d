import { runService } from "@urr/subgraph-kit";
import { startStatsApp } from "./app.ts";
import { loadStatsConfig } from "./config.ts";

runService("stats", loadStatsConfig, startStatsApp);
