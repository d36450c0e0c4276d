import { runService } from "@urr/subgraph-kit";
import { startTicketApp } from "./app.ts";
import { loadTicketConfig } from "./config.ts";

runService("ticket", loadTicketConfig, startTicketApp);
