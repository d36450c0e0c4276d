import { ForbiddenError } from "@urr/errors";
import type { ReservationItemResolvers, ReservationResolvers } from "../generated/graphql.ts";

export const Reservation: ReservationResolvers = {
  /**
   * Other subgraphs hand out references (payment's `Payment.reservation`); the owner check is made
   * here as well, so a reference that reaches the wrong viewer (a bug elsewhere, a crafted
   * `_entities` call with a service token) still shows nothing.
   */
  __resolveReference: async (reference, ctx) => {
    const reservation = await ctx.loaders.reservationById.load(reference.id);
    const { viewer } = ctx;
    if (!reservation) return null;
    if (!viewer.authenticated || (viewer.userId !== reservation.userId && viewer.role !== "ADMIN")) {
      throw new ForbiddenError("This reservation belongs to someone else", "NOT_OWNER");
    }
    return reservation;
  },
  user: (reservation) => ({ id: reservation.userId }),
  event: (reservation) => ({ id: reservation.eventId }),
  tickets: (reservation, _args, ctx) => ctx.loaders.ticketsByReservation.load(reservation.id),
};

export const ReservationItem: ReservationItemResolvers = {
  seat: (item, _args, ctx) => (item.seatId ? ctx.loaders.seatById.load(item.seatId) : null),
  ticketType: (item, _args, ctx) =>
    item.ticketTypeId ? ctx.loaders.ticketTypeById.load(item.ticketTypeId) : null,
};
