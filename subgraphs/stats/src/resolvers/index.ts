import { DateTimeScalar } from "@urr/subgraph-kit";
import type { Resolvers } from "../generated/graphql.ts";
import { Mutation, Query } from "./Query.ts";
import { StatsDashboard } from "./StatsDashboard.ts";
import { Subscription } from "./Subscription.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Subscription,
  StatsDashboard,
  EventStats: { event: (stats) => ({ id: stats.eventId }) },
  Event: {
    __resolveReference: (reference) => ({ id: reference.id }),
    stats: (event, _a, ctx) => ctx.loaders.eventStats.load(event.id),
  },
};
