import { checkId, requireAdmin, requireViewer } from "@urr/subgraph-kit";
import type { MutationResolvers } from "../generated/graphql.ts";

export const Mutation: MutationResolvers = {
  joinQueue: (_p, { eventId }, ctx) => ctx.queue.join(requireViewer(ctx.viewer), checkId(eventId, "eventId")),
  heartbeat: (_p, { eventId }, ctx) =>
    ctx.queue.heartbeat(requireViewer(ctx.viewer), checkId(eventId, "eventId")),
  leaveQueue: (_p, { eventId }, ctx) =>
    ctx.queue.leave(requireViewer(ctx.viewer), checkId(eventId, "eventId")),
  setQueueThreshold: (_p, { eventId, threshold }, ctx) => {
    requireAdmin(ctx.viewer);
    return ctx.queue.setThreshold(checkId(eventId, "eventId"), threshold);
  },
  clearQueue: async (_p, { eventId }, ctx) => {
    requireAdmin(ctx.viewer);
    const id = checkId(eventId, "eventId");
    const view = await ctx.queue.clear(id);
    await ctx.announceClear(id);
    return view;
  },
};
