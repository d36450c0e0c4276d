import type { ApolloServerPlugin, GraphQLRequestContext } from "@apollo/server";
import { activeSpan, errorCodes, recordOperation } from "@urr/telemetry";
import type { OperationDefinitionNode } from "graphql";

/** At most this many root fields name an operation; the gateway's planned fetches have one or two. */
const MAX_NAMED_FIELDS = 3;

/**
 * What a subgraph labels an operation with: its type and root fields (`mutation confirmPayment`,
 * `query _entities`). The gateway names its fetches after the client's operation, which clients
 * choose; root fields come from this subgraph's schema, so the label set stays small.
 */
export function rootFieldsLabel(operation: OperationDefinitionNode | undefined): string {
  if (!operation) return "unparsed";
  const fields = operation.selectionSet.selections
    .flatMap((s) => (s.kind === "Field" ? [s.name.value] : []))
    .sort();
  const named = fields.slice(0, MAX_NAMED_FIELDS).join(",");
  return `${operation.operation} ${named || "(fragments)"}${fields.length > MAX_NAMED_FIELDS ? ",…" : ""}`;
}

/**
 * Per operation: `urr_graphql_requests_total`, the latency histogram and the error codes, and the
 * request's span renamed after what it ran. HTTP only: a subgraph's subscriptions are counted as
 * open subscriptions instead (their "latency" is their lifetime).
 */
export function operationMetricsPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      let label = "unparsed";
      return {
        async didResolveOperation(request: GraphQLRequestContext<TContext>) {
          label = rootFieldsLabel(request.operation);
          activeSpan()?.updateName(`graphql ${label}`);
        },
        async willSendResponse(request: GraphQLRequestContext<TContext>) {
          const body = request.response.body;
          const errors = body?.kind === "single" ? body.singleResult.errors : undefined;
          recordOperation(label, (performance.now() - startedAt) / 1000, errorCodes(errors));
        },
      };
    },
  };
}
