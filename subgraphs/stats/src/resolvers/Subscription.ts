import { liveStream } from "@urr/subgraph-kit";
import type { RealtimeStats, SubscriptionResolvers } from "../generated/graphql.ts";
import { STATS_CHANNEL, type StatsUpdate } from "../live/stats-updates.ts";

type Payload = { statsUpdates: RealtimeStats };

/**
 * `statsUpdates`: the realtime view now, then read again on every update message. A reader slower
 * than the messages gets one read for all it missed (the view is the current state, not a delta).
 */
export const Subscription: SubscriptionResolvers = {
  statsUpdates: {
    subscribe: async (_p, _a, ctx) => {
      ctx.stats.dashboard(ctx.viewer);
      const read = async () => ({ value: { statsUpdates: await ctx.stats.realtime(ctx.viewer) } });
      return liveStream<StatsUpdate, Payload>({
        pubsub: ctx.pubsub,
        channel: STATS_CHANNEL,
        initial: read,
        step: read,
        coalesce: (_older, newer) => newer,
      });
    },
    resolve: (payload: Payload) => payload.statsUpdates,
  },
};
