import { env } from "@urr/config";
import { z } from "zod";
import { GATEWAY_OPERATION_LIMITS, type OperationLimits } from "./limits.ts";

const FIELD_NUMBER = /^([_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*)=(\d+(?:\.\d+)?)$/;

/** `Type.field=3,Other.field=0.5` → { "Type.field": 3, "Other.field": 0.5 }; a malformed entry is named. */
const fieldNumbers = () =>
  z.string().transform((value, context) => {
    const entries: Record<string, number> = {};
    for (const item of value.split(",").map((s) => s.trim())) {
      if (!item) continue;
      const match = FIELD_NUMBER.exec(item);
      if (!match?.[1] || !match[2]) {
        context.addIssue({ code: "custom", message: `"${item}" is not Type.field=number` });
        return z.NEVER;
      }
      entries[match[1]] = Number(match[2]);
    }
    return entries;
  });

/**
 * The operation limits' environment variables, for a service's config schema to spread in. The
 * gateway takes the defaults; a subgraph passes SUBGRAPH_OPERATION_LIMITS (looser: it only catches
 * what a gateway let through). Documented in the README of every service that reads them.
 */
export function operationLimitsConfigFields(defaults: OperationLimits = GATEWAY_OPERATION_LIMITS) {
  return {
    OPERATION_MAX_DEPTH: env.int(defaults.maxDepth, 1),
    OPERATION_MAX_ALIASES: env.int(defaults.maxAliases),
    OPERATION_MAX_ROOT_FIELDS: env.int(defaults.maxRootFields, 1),
    OPERATION_MAX_TOKENS: env.int(defaults.maxTokens, 1),
    OPERATION_MAX_DIRECTIVES: env.int(defaults.maxDirectives),
    OPERATION_MAX_REPEATED_FIELDS: env.int(defaults.maxRepeatedFields, 1),
    OPERATION_MAX_SELECTIONS: env.int(defaults.maxSelections, 1),
    OPERATION_MAX_COST: env.int(defaults.maxCost, 1),
    OPERATION_DEFAULT_LIST_SIZE: env.int(defaults.defaultListSize, 1),
    /** `Type.field=weight,…`: the cost of resolving a field once, over the default (1 object, 0 scalar). */
    OPERATION_FIELD_COSTS: fieldNumbers().default(defaults.fieldCosts),
    /** `Type.field=size,…`: the assumed length of an unbounded list field, over the default list size. */
    OPERATION_LIST_SIZES: fieldNumbers().default(defaults.listSizes),
  };
}

type Fields = ReturnType<typeof operationLimitsConfigFields>;
export type OperationLimitsConfig = { readonly [K in keyof Fields]: z.infer<Fields[K]> };

/** The limits a parsed config (with the fields above spread in) sets. */
export function operationLimitsFromConfig(config: OperationLimitsConfig): OperationLimits {
  return {
    maxDepth: config.OPERATION_MAX_DEPTH,
    maxAliases: config.OPERATION_MAX_ALIASES,
    maxRootFields: config.OPERATION_MAX_ROOT_FIELDS,
    maxTokens: config.OPERATION_MAX_TOKENS,
    maxDirectives: config.OPERATION_MAX_DIRECTIVES,
    maxRepeatedFields: config.OPERATION_MAX_REPEATED_FIELDS,
    maxSelections: config.OPERATION_MAX_SELECTIONS,
    maxCost: config.OPERATION_MAX_COST,
    defaultListSize: config.OPERATION_DEFAULT_LIST_SIZE,
    fieldCosts: config.OPERATION_FIELD_COSTS,
    listSizes: config.OPERATION_LIST_SIZES,
  };
}
