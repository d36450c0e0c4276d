import { readFileSync } from "node:fs";
import { ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from "@apollo/federation-internals";
import type { GraphQLSchema } from "graphql";
import { SUPERGRAPH_PATH } from "./composition.ts";

/**
 * The API schema clients write operations against, built from the composed supergraph (what the
 * gateway validates requests with: no join/link machinery, no inaccessible elements).
 */
export function loadApiSchema(supergraphPath = SUPERGRAPH_PATH): GraphQLSchema {
  // The supergraph links the @authenticated / @requiresScopes security features.
  return Supergraph.build(readFileSync(supergraphPath, "utf8"), {
    supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES,
  })
    .apiSchema()
    .toGraphQLJSSchema();
}
