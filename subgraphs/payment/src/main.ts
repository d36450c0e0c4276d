import { runService } from "@urr/subgraph-kit";
import { startPaymentApp } from "./app.ts";
import { loadPaymentConfig } from "./config.ts";

runService("payment", loadPaymentConfig, startPaymentApp);
