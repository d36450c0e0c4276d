import type { MutationResolvers } from "../generated/graphql.ts";
import { membershipMutations } from "../memberships/resolvers/fields.ts";
import { transferMutations } from "../transfers/resolvers/fields.ts";

export const Mutation: MutationResolvers = {
  ...membershipMutations,
  ...transferMutations,
  holdSeats: async (_p, { eventId, seatIds, idempotencyKey, entryToken }, ctx) => {
    await ctx.entry.admit(ctx.viewer, eventId, entryToken);
    return ctx.holds.holdSeats(ctx.viewer, eventId, seatIds, idempotencyKey);
  },
  holdBestAvailable: async (_p, { eventId, section, count, idempotencyKey, entryToken }, ctx) => {
    await ctx.entry.admit(ctx.viewer, eventId, entryToken);
    return ctx.holds.holdBestAvailable(ctx.viewer, eventId, section, count, idempotencyKey);
  },
  reserveTickets: async (_p, { eventId, items, idempotencyKey, entryToken }, ctx) => {
    await ctx.entry.admit(ctx.viewer, eventId, entryToken);
    return ctx.generalAdmission.reserveTickets(ctx.viewer, eventId, items, idempotencyKey);
  },
  cancelReservation: (_p, { id }, ctx) => ctx.reservations.cancel(ctx.viewer, id),
  createSeatLayout: (_p, { input }, ctx) => ctx.seating.createLayout(ctx.viewer, input),
  generateSeats: async (_p, { eventId, layoutId }, ctx) => ({
    eventId,
    seatsCreated: await ctx.seating.generateSeats(ctx.viewer, eventId, layoutId),
  }),
  createTicketType: (_p, { input }, ctx) => ctx.seating.createTicketType(ctx.viewer, input),
  updateTicketType: (_p, { id, input }, ctx) => ctx.seating.updateTicketType(ctx.viewer, id, input),
};
