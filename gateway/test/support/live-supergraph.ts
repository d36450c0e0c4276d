import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

/**
 * A two-subgraph supergraph for the subscription unit tests: `live` owns a subscription whose
 * events reference a `Show` that `shows` resolves (so a plan can be local or need an entity fetch).
 */
const LIVE = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { ping: Boolean }
  type Subscription { counter(step: Int!): Counter! }
  type Counter { value: Int! show: Show! }
  type Show @key(fields: "id") { id: ID! }
`;
const SHOWS = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { show(id: ID!): Show }
  type Show @key(fields: "id") { id: ID! title: String! }
`;

export function liveSupergraphSdl(): string {
  const result = composeServices([
    { name: "live", typeDefs: parse(LIVE), url: "http://live.invalid/graphql" },
    { name: "shows", typeDefs: parse(SHOWS), url: "http://shows.invalid/graphql" },
  ]);
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join("\n"));
  return result.supergraphSdl;
}
