/**
 * Everything the subscription code takes from Apollo Federation beyond what the gateway uses through
 * `ApolloGateway`: the query planner, the planner's model of operations and schemas, plan execution,
 * and two modules of @apollo/gateway's `dist/` (rewrites and result shaping) that it does not
 * export. Stock @apollo/gateway plans subscriptions but refuses to run them; these are the pieces
 * it would run them with. None of them is a documented API, so they are used only here, and
 * gateway/test/apollo-internals.test.ts fails when the installed versions differ from
 * ADAPTED_VERSIONS: an upgrade re-checks every function below before it ships.
 */
import { type Operation, operationFromDocument, type Schema, Supergraph } from "@apollo/federation-internals";
import { buildOperationContext, executeQueryPlan, type ServiceMap } from "@apollo/gateway";
import { applyRewrites } from "@apollo/gateway/dist/dataRewrites";
import { computeResponse } from "@apollo/gateway/dist/resultShaping";
import { type FetchNode, type PlanNode, type QueryPlan, QueryPlanner } from "@apollo/query-planner";
import type { GatewayGraphQLRequestContext } from "@apollo/server-gateway-interface";
import type { Logger } from "@urr/logger";
import type { DocumentNode, ExecutionResult, GraphQLSchema } from "graphql";

/** The versions this adapter was written and tested against (all three move together). */
export const ADAPTED_VERSIONS = {
  "@apollo/gateway": "2.14.4",
  "@apollo/query-planner": "2.14.4",
  "@apollo/federation-internals": "2.14.4",
} as const;

/** The name under which each subscription event enters the query plan as if it had been fetched. */
const EVENT_SOURCE = "__urr_subscription_event__";

/** The supergraph as the planner sees it, built once per gateway. */
export interface PlanningSupergraph {
  /** The API schema as graphql-js sees it: what clients validate against. */
  readonly schema: GraphQLSchema;
  readonly supergraphSchema: GraphQLSchema;
  readonly apiSchema: Schema;
  readonly planner: QueryPlanner;
}

export function planningSupergraph(supergraphSdl: string): PlanningSupergraph {
  const supergraph = Supergraph.build(supergraphSdl);
  const apiSchema = supergraph.apiSchema();
  return {
    apiSchema,
    schema: apiSchema.toGraphQLJSSchema(),
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    planner: new QueryPlanner(supergraph),
  };
}

/** The part of a fetch the gateway sends upstream itself. */
export type PrimaryFetch = Pick<
  FetchNode,
  "serviceName" | "operation" | "operationName" | "variableUsages" | "outputRewrites"
>;

/** How one subscription operation runs: one upstream subscription, and what to do per event. */
export interface SubscriptionPlan {
  /** Sent to the owning subgraph over graphql-ws. */
  readonly primary: PrimaryFetch;
  /** True when every field comes from the owning subgraph: events only need shaping, no fetches. */
  readonly local: boolean;
  /** The primary fetch (answered by the event itself) followed by the rest of the plan. */
  readonly perEvent: QueryPlan;
  /** The client's operation over the API schema, built once (result shaping uses it per event). */
  readonly operation: Operation;
  readonly operationContext: ReturnType<typeof buildOperationContext>;
}

/** Plans a subscription; throws when the operation is not one. */
export function planSubscription(
  supergraph: PlanningSupergraph,
  document: DocumentNode,
  operationName: string | undefined,
): SubscriptionPlan {
  const named = operationName ? { operationName } : {};
  const operation = operationFromDocument(supergraph.apiSchema, document, named);
  const plan = supergraph.planner.buildQueryPlan(operation);
  if (plan.node?.kind !== "Subscription") throw new Error("not a subscription operation");
  const { primary, rest } = plan.node;
  const eventFetch: PlanNode = { ...primary, serviceName: EVENT_SOURCE };
  return {
    primary,
    local: !rest,
    perEvent: {
      kind: "QueryPlan",
      node: rest ? { kind: "Sequence", nodes: [eventFetch, rest] } : eventFetch,
    },
    operation,
    operationContext: buildOperationContext({
      schema: supergraph.schema,
      operationDocument: document,
      ...named,
    }),
  };
}

/**
 * Runs the rest of the plan for one event (entity fetches to the other subgraphs through
 * `serviceMap`, then result shaping), the event standing in for the primary fetch's response.
 */
export async function completeEvent<TContext extends object>(
  supergraph: PlanningSupergraph,
  plan: SubscriptionPlan,
  event: ExecutionResult,
  request: { serviceMap: ServiceMap; variables: Record<string, unknown>; context: TContext; logger: Logger },
): Promise<ExecutionResult> {
  const eventSource = { process: async () => ({ data: event.data ?? null, errors: event.errors }) };
  // executeQueryPlan reads only these fields of the request context.
  const requestContext = {
    request: { variables: request.variables },
    context: request.context,
    logger: request.logger,
    metrics: {},
  } as unknown as GatewayGraphQLRequestContext<TContext>;
  const result = await executeQueryPlan(
    plan.perEvent,
    { ...request.serviceMap, [EVENT_SOURCE]: eventSource } as ServiceMap,
    requestContext,
    plan.operationContext,
    supergraph.supergraphSchema,
    supergraph.apiSchema,
  );
  return result as ExecutionResult;
}

/**
 * What `completeEvent` does for a local plan, without re-building the operation for every event:
 * the subgraph's rewrites, then the client's shape (aliases, skipped fields, `__typename`).
 * Value-completion problems are reported the way the gateway reports them.
 */
export function shapeEvent(
  supergraph: PlanningSupergraph,
  plan: SubscriptionPlan,
  variables: Record<string, unknown>,
  event: ExecutionResult,
): ExecutionResult {
  const input = (event.data ?? null) as Record<string, unknown> | null;
  if (input) applyRewrites(supergraph.supergraphSchema, plan.primary.outputRewrites, input);
  const shaped = computeResponse({
    operation: plan.operation,
    variables,
    input,
    introspectionHandling: () => null,
  });
  if (event.errors?.length) return { data: shaped.data ?? null, errors: event.errors };
  if (shaped.errors.length > 0)
    return { data: shaped.data ?? null, extensions: { valueCompletion: shaped.errors } };
  return { data: shaped.data ?? null };
}
