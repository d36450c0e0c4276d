import { runService } from "@urr/subgraph-kit";
import { startCatalogApp } from "./app.ts";
import { loadCatalogConfig } from "./config.ts";

runService("catalog", loadCatalogConfig, startCatalogApp);
