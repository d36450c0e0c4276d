import { checkId, requireAdmin, requireViewer } from "@urr/subgraph-kit";
import type { QueryResolvers } from "../generated/graphql.ts";

export const Query: QueryResolvers = {
  queueStatus: (_p, { eventId }, ctx) =>
    ctx.queue.status(requireViewer(ctx.viewer), checkId(eventId, "eventId")),
  queueAdmin: (_p, { eventId }, ctx) => {
    requireAdmin(ctx.viewer);
    return ctx.queue.admin(checkId(eventId, "eventId"));
  },
};
