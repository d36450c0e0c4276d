import { NotFoundError } from "@urr/errors";
import { checkId, liveStream } from "@urr/subgraph-kit";
import type { ReservationRecord } from "../domain/records.ts";
import type { SubscriptionResolvers } from "../generated/graphql.ts";
import { reservationChannel, type SeatUpdate, seatChannel } from "../live/seat-feed.ts";

type Payload = { seatAvailability: SeatUpdate };
type ReservationPayload = { reservationUpdates: ReservationRecord };
const OVER = new Set(["CANCELLED", "EXPIRED", "REFUNDED"]);

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
  reservationUpdates: {
    subscribe: async (_p, { id }, ctx) => {
      const reservationId = checkId(id, "id");
      // Ownership is checked on every read: FORBIDDEN for someone else's reservation.
      const read = async () => {
        const reservation = await ctx.reservations.reservation(ctx.viewer, reservationId);
        return { value: { reservationUpdates: reservation }, last: OVER.has(reservation.status) };
      };
      let last: string | undefined;
      return liveStream<unknown, ReservationPayload>({
        pubsub: ctx.pubsub,
        channel: reservationChannel(reservationId),
        initial: async () => {
          const first = await read();
          last = first.value.reservationUpdates.status;
          return first;
        },
        step: async () => {
          const next = await read();
          const status = next.value.reservationUpdates.status;
          if (status === last) return {};
          last = status;
          return next;
        },
        coalesce: (_older, newer) => newer,
      });
    },
    resolve: (payload: ReservationPayload) => payload.reservationUpdates,
  },
};
