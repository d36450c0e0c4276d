import type { SeatLayoutResolvers, SeatResolvers, TicketTypeResolvers } from "../generated/graphql.ts";

export const Seat: SeatResolvers = {
  __resolveReference: (reference, ctx) => ctx.loaders.seatById.load(reference.id),
  row: (seat) => seat.rowLabel,
};

export const TicketType: TicketTypeResolvers = {
  __resolveReference: (reference, ctx) => ctx.loaders.ticketTypeById.load(reference.id),
};

export const SeatLayout: SeatLayoutResolvers = {
  __resolveReference: async (reference, ctx) => (await ctx.seating.layout(reference.id)) ?? null,
  priceTiers: (layout) => layout.definition.priceTiers,
  sections: (layout) => layout.definition.sections,
};
