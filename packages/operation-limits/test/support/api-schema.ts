import { readFileSync } from "node:fs";
import path from "node:path";
import { ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from "@apollo/federation-internals";
import type { GraphQLSchema } from "graphql";

/** The API schema clients write operations against, built from the composed supergraph. */
export function loadApiSchema(): GraphQLSchema {
  const sdl = readFileSync(path.resolve(__dirname, "../../../../supergraph.graphql"), "utf8");
  // The supergraph links the @authenticated / @requiresScopes security features.
  return Supergraph.build(sdl, { supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES })
    .apiSchema()
    .toGraphQLJSSchema();
}
