import { type Operation, operationFromDocument, type Schema, Supergraph } from "@apollo/federation-internals";
import { buildOperationContext } from "@apollo/gateway";
import { type FetchNode, type PlanNode, type QueryPlan, QueryPlanner } from "@apollo/query-planner";
import { type DocumentNode, type GraphQLSchema, print } from "graphql";

/** The name under which each subscription event enters the query plan as if fetched. */
export const EVENT_SOURCE = "__urr_subscription_event__";

type OperationContext = ReturnType<typeof buildOperationContext>;

/** How one subscription operation runs: one upstream subscription, and the plan for each event. */
export interface PlannedSubscription {
  /** Sent to the owning subgraph over graphql-ws. */
  primary: FetchNode;
  /**
   * Runs per event: the primary fetch (answered by the event itself) followed by the rest of the
   * plan (entity fetches to the other subgraphs), so `queuePosition { event { title } }` gets the
   * catalog's `title` for every update.
   */
  perEvent: QueryPlan;
  /** True when every field comes from the owning subgraph: events only need shaping, no fetches. */
  local: boolean;
  /** The client's operation over the API schema, built once (result shaping uses it per event). */
  operation: Operation;
  operationContext: OperationContext;
}

const PLAN_CACHE_SIZE = 500;

/**
 * Plans subscriptions with @apollo/gateway's own query planner. Stock @apollo/gateway plans them
 * (a primary fetch plus the rest) but refuses to execute them; the gateway executes the plan per
 * event instead (see federated-subscription.ts).
 */
export class SubscriptionPlanner {
  readonly apiSchema: Schema;
  /** The API schema as graphql-js sees it: what clients validate against. */
  readonly schema: GraphQLSchema;
  readonly supergraphSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;
  private readonly cache = new Map<string, PlannedSubscription>();

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
  }

  plan(document: DocumentNode, operationName: string | undefined): PlannedSubscription {
    const key = `${operationName ?? ""}\n${print(document)}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const operation = operationFromDocument(this.apiSchema, document, operationName ? { operationName } : {});
    const plan = this.planner.buildQueryPlan(operation);
    if (plan.node?.kind !== "Subscription") throw new Error("not a subscription operation");
    const { primary, rest } = plan.node;
    const eventFetch: PlanNode = { ...primary, serviceName: EVENT_SOURCE };
    const planned: PlannedSubscription = {
      primary,
      perEvent: {
        kind: "QueryPlan",
        node: rest ? { kind: "Sequence", nodes: [eventFetch, rest] } : eventFetch,
      },
      local: !rest,
      operation,
      operationContext: buildOperationContext({
        schema: this.schema,
        operationDocument: document,
        ...(operationName ? { operationName } : {}),
      }),
    };
    if (this.cache.size >= PLAN_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value ?? "");
    this.cache.set(key, planned);
    return planned;
  }
}
