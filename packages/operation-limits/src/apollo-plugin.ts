import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import type { ParseOptions } from "graphql";
import type { OperationLimits } from "./limits.ts";
import { assertWithinLimits } from "./measure.ts";
import { assertTokenLimit } from "./tokens.ts";

/**
 * The limits in an Apollo Server (a subgraph, or the gateway's HTTP path): the token count before
 * parsing, the rest after parsing and before validation. A refusal thrown from these hooks becomes
 * the whole response, with the 400 its `extensions.http` asks for, passed through `formatError`.
 * Documents Apollo Server already validated come from its document store and skip both hooks: they
 * passed these limits to get there.
 */
export function operationLimitsPlugin<TContext extends BaseContext>(
  limits: OperationLimits,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async parsingDidStart({ source }) {
          assertTokenLimit(source, limits.maxTokens);
        },
        async validationDidStart({ document, schema, request }) {
          assertWithinLimits(document, { schema, limits, variables: request.variables });
        },
      };
    },
  };
}

/**
 * Apollo Server's `parseOptions` for the same token limit, so graphql-js's parser aborts by itself
 * should a document ever reach it unchecked.
 */
export function operationParseOptions(limits: OperationLimits): ParseOptions {
  return { maxTokens: limits.maxTokens };
}
