import type { ReservationItemResolvers, ReservationResolvers } from "../generated/graphql.ts";

export const Reservation: ReservationResolvers = {
  __resolveReference: (reference, ctx) => ctx.loaders.reservationById.load(reference.id),
  user: (reservation) => ({ id: reservation.userId }),
  event: (reservation) => ({ id: reservation.eventId }),
  tickets: (reservation, _args, ctx) => ctx.loaders.ticketsByReservation.load(reservation.id),
};

export const ReservationItem: ReservationItemResolvers = {
  seat: (item, _args, ctx) => (item.seatId ? ctx.loaders.seatById.load(item.seatId) : null),
  ticketType: (item, _args, ctx) =>
    item.ticketTypeId ? ctx.loaders.ticketTypeById.load(item.ticketTypeId) : null,
};
