import type { AuditSource as ContractSource } from "@urr/events";
import type { AuditEntryResolvers, AuditSource } from "../generated/graphql.ts";

/** The contract names sources in lower case (`ticket`), the schema's enum in upper case (`TICKET`). */
export const SOURCE_IN_SCHEMA: Record<ContractSource, AuditSource> = {
  auth: "AUTH",
  catalog: "CATALOG",
  ticket: "TICKET",
  payment: "PAYMENT",
  queue: "QUEUE",
  stats: "STATS",
  community: "COMMUNITY",
};

const SOURCE_IN_CONTRACT = Object.fromEntries(
  Object.entries(SOURCE_IN_SCHEMA).map(([contract, schema]) => [schema, contract]),
) as Record<AuditSource, ContractSource>;

export const sourceInContract = (source: AuditSource) => SOURCE_IN_CONTRACT[source];

export const AuditEntry: AuditEntryResolvers = {
  source: (entry) => SOURCE_IN_SCHEMA[entry.source],
};
