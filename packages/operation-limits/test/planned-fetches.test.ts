import { readFileSync } from "node:fs";
import path from "node:path";
import {
  operationFromDocument,
  ROUTER_SUPPORTED_SUPERGRAPH_FEATURES,
  Supergraph,
} from "@apollo/federation-internals";
import { type FetchNode, type PlanNode, QueryPlanner, type SubscriptionNode } from "@apollo/query-planner";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { type GraphQLSchema, parse } from "graphql";
import { measureOperation, SUBGRAPH_OPERATION_LIMITS } from "../src/index.ts";
import { PRODUCT_OPERATIONS } from "./support/product-operations.ts";

/**
 * The subgraphs' own limits must not refuse what the gateway plans for the product's operations:
 * each operation is planned by the same query planner the gateway runs, and every fetch is measured
 * against its subgraph's schema with the subgraph defaults, `_entities` batches sized at 500
 * representations (five of the largest browse page, 100 events, in one fetch).
 */
const ROOT = path.resolve(__dirname, "../../..");
const supergraph = Supergraph.build(readFileSync(path.join(ROOT, "supergraph.graphql"), "utf8"), {
  supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES,
});
const planner = new QueryPlanner(supergraph);
const subgraphSchemas = new Map<string, GraphQLSchema>();
function subgraphSchema(name: string): GraphQLSchema {
  let schema = subgraphSchemas.get(name);
  if (!schema) {
    const sdl = readFileSync(path.join(ROOT, "subgraphs", name, "schema.graphql"), "utf8");
    schema = buildSubgraphSchema({ typeDefs: parse(sdl) });
    subgraphSchemas.set(name, schema);
  }
  return schema;
}

function fetchesOf(node: PlanNode | SubscriptionNode | undefined): FetchNode[] {
  if (!node) return [];
  switch (node.kind) {
    case "Fetch":
      return [node];
    case "Sequence":
    case "Parallel":
      return node.nodes.flatMap(fetchesOf);
    case "Flatten":
      return fetchesOf(node.node);
    case "Subscription":
      return [node.primary, ...fetchesOf(node.rest)];
    case "Condition":
      return [...fetchesOf(node.ifClause), ...fetchesOf(node.elseClause)];
    default:
      return [];
  }
}

const representations = Array.from({ length: 500 }, (_, i) => ({ __typename: "Event", id: String(i) }));

// Introspection is answered by the gateway itself, never planned.
const planned = Object.entries(PRODUCT_OPERATIONS).filter(([, operation]) => !operation.fixed);
const heaviest: Record<string, string> = {};

afterAll(() => {
  const rows = Object.entries(heaviest).map(([name, fetch]) => `| ${name} | ${fetch} |`);
  process.stdout.write(
    `\n| operation | costliest planned fetch at 500 representations |\n|---|---|\n${rows.join("\n")}\n`,
  );
});

it.each(planned)("%s: every planned fetch fits the subgraph limits", (name, operation) => {
  const plan = planner.buildQueryPlan(operationFromDocument(supergraph.apiSchema(), parse(operation.query)));
  const fetches = fetchesOf(plan.node);
  expect(fetches.length).toBeGreaterThan(0);
  let cost = -1;
  for (const fetch of fetches) {
    const verdict = measureOperation(parse(fetch.operation), {
      schema: subgraphSchema(fetch.serviceName),
      limits: SUBGRAPH_OPERATION_LIMITS,
      variables: { ...operation.variables, representations },
    });
    expect({ service: fetch.serviceName, verdict }).toMatchObject({ verdict: { ok: true } });
    if (verdict.ok && verdict.measurement.cost > cost) {
      const m = verdict.measurement;
      cost = m.cost;
      heaviest[name] =
        `${fetch.serviceName}: cost ${m.cost}, depth ${m.depth}, ${m.selections} selections, ${m.tokens} tokens`;
    }
  }
});
