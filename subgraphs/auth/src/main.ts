import { runService } from "@urr/subgraph-kit";
import { startAuthApp } from "./app.ts";
import { loadAuthConfig } from "./config.ts";

runService("auth", loadAuthConfig, startAuthApp);
