import { NotFoundError } from "@urr/errors";
import { checkId, liveStream } from "@urr/subgraph-kit";
import type { SubscriptionResolvers } from "../generated/graphql.ts";
import { type SeatUpdate, seatChannel } from "../live/seat-feed.ts";

type Payload = { seatAvailability: SeatUpdate };

export const Subscription: SubscriptionResolvers = {
  seatAvailability: {
    subscribe: async (_p, { eventId }, ctx) => {
      const id = checkId(eventId, "eventId");
      if (!(await ctx.seatFeed.knows(id))) throw new NotFoundError("Event", id);
      return liveStream<SeatUpdate, Payload>({
        pubsub: ctx.pubsub,
        channel: seatChannel(id),
        initial: async () => ({
          value: {
            seatAvailability: {
              eventId: id,
              changes: [],
              availability: await ctx.seatFeed.availability(id),
              at: Date.now(),
            },
          },
        }),
        step: async (update) => ({ value: { seatAvailability: update } }),
        // A slow reader gets the changes merged (latest status per seat) with the latest counts.
        coalesce: (older, newer) => {
          const merged = new Map(older.changes.map((c) => [c.seatId, c]));
          for (const change of newer.changes) merged.set(change.seatId, change);
          return { ...newer, changes: [...merged.values()] };
        },
      });
    },
    resolve: (payload: Payload) => payload.seatAvailability,
  },
};
