import { DateTimeScalar } from "@urr/subgraph-kit";
import type { Resolvers } from "../generated/graphql.ts";
import { Mutation } from "./Mutation.ts";
import { Query } from "./Query.ts";
import { Subscription } from "./Subscription.ts";

const eventOf = (parent: { eventId: string }) => ({ id: parent.eventId });

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Subscription,
  QueueTicket: { event: eventOf },
  QueueAdminView: { event: eventOf },
  Event: {
    __resolveReference: (ref) => ({ id: ref.id }),
    queue: (event, _a, ctx) => ctx.queue.publicFigures(event.id),
  },
};
