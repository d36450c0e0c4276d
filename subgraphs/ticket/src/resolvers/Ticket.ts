import type { TicketResolvers } from "../generated/graphql.ts";
import { ticketListing } from "../transfers/resolvers/fields.ts";

/** A ticket is shown to its owner only: entity lookups by id through the gateway included. */
export const Ticket: TicketResolvers = {
  ...ticketListing,
  __resolveReference: async (reference, ctx) => {
    const ticket = await ctx.loaders.ticketById.load(reference.id);
    const viewer = ctx.viewer;
    if (!ticket || !viewer.authenticated) return null;
    return ticket.userId === viewer.userId || viewer.role === "ADMIN" ? ticket : null;
  },
  reservation: async (ticket, _args, ctx) => {
    const reservation = await ctx.loaders.reservationById.load(ticket.reservationId);
    if (!reservation) throw new Error(`ticket ${ticket.id} has no reservation`);
    return reservation;
  },
  event: (ticket) => ({ id: ticket.eventId }),
  seat: (ticket, _args, ctx) => (ticket.seatId ? ctx.loaders.seatById.load(ticket.seatId) : null),
  ticketType: (ticket, _args, ctx) =>
    ticket.ticketTypeId ? ctx.loaders.ticketTypeById.load(ticket.ticketTypeId) : null,
};
