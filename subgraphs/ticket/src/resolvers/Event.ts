import { summarize } from "../domain/availability.ts";
import type { EventResolvers } from "../generated/graphql.ts";

export const Event: EventResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  seatLayout: (event, _args, ctx) => ctx.loaders.layoutByEvent.load(event.id),
  seats: async (event, { section, status }, ctx) =>
    (await ctx.loaders.seatsByEvent.load(event.id)).filter(
      (seat) => (!section || seat.section === section) && (!status || seat.status === status),
    ),
  ticketTypes: (event, _args, ctx) => ctx.loaders.ticketTypesByEvent.load(event.id),
  availability: async (event, _args, ctx) => {
    const [rows, types] = await Promise.all([
      ctx.loaders.availabilityByEvent.load(event.id),
      ctx.loaders.ticketTypesByEvent.load(event.id),
    ]);
    return summarize(rows, types);
  },
};
