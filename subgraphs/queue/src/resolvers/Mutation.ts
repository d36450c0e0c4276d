import { checkId, requireViewer } from "@urr/subgraph-kit";
import type { MutationResolvers } from "../generated/graphql.ts";

export const Mutation: MutationResolvers = {
  joinQueue: (_p, { eventId }, ctx) => ctx.queue.join(requireViewer(ctx.viewer), checkId(eventId, "eventId")),
  heartbeat: (_p, { eventId }, ctx) =>
    ctx.queue.heartbeat(requireViewer(ctx.viewer), checkId(eventId, "eventId")),
  leaveQueue: (_p, { eventId }, ctx) =>
    ctx.queue.leave(requireViewer(ctx.viewer), checkId(eventId, "eventId")),
  setQueueThreshold: (_p, { eventId, threshold }, ctx) =>
    ctx.queue.setThreshold(ctx.viewer, eventId, threshold),
  clearQueue: async (_p, { eventId }, ctx) => {
    const view = await ctx.queue.clear(ctx.viewer, eventId);
    await ctx.announceClear(view.eventId);
    return view;
  },
};
