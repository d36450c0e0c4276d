import { type DocumentNode, type GraphQLSchema, print } from "graphql";
import {
  type PlanningSupergraph,
  planningSupergraph,
  planSubscription,
  type SubscriptionPlan,
} from "./apollo-internals.ts";

export type PlannedSubscription = SubscriptionPlan;

const PLAN_CACHE_SIZE = 500;

/**
 * Plans subscriptions with @apollo/gateway's own query planner (through apollo-internals.ts). Stock
 * @apollo/gateway plans them (a primary fetch plus the rest) but refuses to execute them; the
 * gateway executes the plan per event instead (see federated-subscription.ts). Plans are cached by
 * operation text: thousands of fans send the same few subscriptions.
 */
export class SubscriptionPlanner {
  readonly supergraph: PlanningSupergraph;
  /** The API schema as graphql-js sees it: what clients validate against. */
  readonly schema: GraphQLSchema;
  private readonly cache = new Map<string, PlannedSubscription>();

  constructor(supergraphSdl: string) {
    this.supergraph = planningSupergraph(supergraphSdl);
    this.schema = this.supergraph.schema;
  }

  plan(document: DocumentNode, operationName: string | undefined): PlannedSubscription {
    const key = `${operationName ?? ""}\n${print(document)}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const planned = planSubscription(this.supergraph, document, operationName);
    if (this.cache.size >= PLAN_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value ?? "");
    this.cache.set(key, planned);
    return planned;
  }
}
