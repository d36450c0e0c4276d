import { gatewayConfigSchema } from "../../../gateway/src/config.ts";
import { authConfigSchema } from "../../../subgraphs/auth/src/config.ts";
import { catalogConfigSchema } from "../../../subgraphs/catalog/src/config.ts";
import { communityConfigSchema } from "../../../subgraphs/community/src/config.ts";
import { paymentConfigSchema } from "../../../subgraphs/payment/src/config.ts";
import { queueConfigSchema } from "../../../subgraphs/queue/src/config.ts";
import { statsConfigSchema } from "../../../subgraphs/stats/src/config.ts";
import { ticketConfigSchema } from "../../../subgraphs/ticket/src/config.ts";

/** Every service's environment schema, by service name (the README beside it documents it). */
export const configSchemas = {
  gateway: gatewayConfigSchema,
  auth: authConfigSchema,
  catalog: catalogConfigSchema,
  ticket: ticketConfigSchema,
  payment: paymentConfigSchema,
  queue: queueConfigSchema,
  stats: statsConfigSchema,
  community: communityConfigSchema,
};

/** Where each service's README lives, relative to the repository root. */
export const readmeOf = (service: string) =>
  service === "gateway" ? "gateway/README.md" : `subgraphs/${service}/README.md`;
