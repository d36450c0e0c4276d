import type { MutationResolvers } from "../generated/graphql.ts";

export const Mutation: MutationResolvers = {
  holdSeats: (_p, { eventId, seatIds, idempotencyKey }, ctx) =>
    ctx.holds.holdSeats(ctx.viewer, eventId, seatIds, idempotencyKey),
  holdBestAvailable: (_p, { eventId, section, count, idempotencyKey }, ctx) =>
    ctx.holds.holdBestAvailable(ctx.viewer, eventId, section, count, idempotencyKey),
  reserveTickets: (_p, { eventId, items, idempotencyKey }, ctx) =>
    ctx.generalAdmission.reserveTickets(ctx.viewer, eventId, items, idempotencyKey),
  cancelReservation: (_p, { id }, ctx) => ctx.reservations.cancel(ctx.viewer, id),
  createSeatLayout: (_p, { input }, ctx) => ctx.seating.createLayout(ctx.viewer, input),
  generateSeats: async (_p, { eventId, layoutId }, ctx) => ({
    eventId,
    seatsCreated: await ctx.seating.generateSeats(ctx.viewer, eventId, layoutId),
  }),
  createTicketType: (_p, { input }, ctx) => ctx.seating.createTicketType(ctx.viewer, input),
  updateTicketType: (_p, { id, input }, ctx) => ctx.seating.updateTicketType(ctx.viewer, id, input),
};
