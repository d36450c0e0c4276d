import { runService } from "@urr/subgraph-kit";
import { startCommunityApp } from "./app.ts";
import { loadCommunityConfig } from "./config.ts";

runService("community", loadCommunityConfig, startCommunityApp);
