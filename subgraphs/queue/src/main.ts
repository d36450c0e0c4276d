import { runService } from "@urr/subgraph-kit";
import { startQueueApp } from "./app.ts";
import { loadQueueConfig } from "./config.ts";

runService("queue", loadQueueConfig, startQueueApp);
