import { requireViewer } from "@urr/subgraph-kit";
import type { QueryResolvers } from "../generated/graphql.ts";
import { membershipQueries } from "../memberships/resolvers/fields.ts";
import { transferQueries } from "../transfers/resolvers/fields.ts";

export const Query: QueryResolvers = {
  ...membershipQueries,
  ...transferQueries,
  seatLayouts: (_p, _a, ctx) => ctx.seating.layouts(),
  myReservations: (_p, _a, ctx) => ctx.loaders.reservationsByUser.load(requireViewer(ctx.viewer).userId),
  myTickets: (_p, _a, ctx) => ctx.loaders.ticketsByUser.load(requireViewer(ctx.viewer).userId),
  ticketVerificationKey: (_p, _a, ctx) => ctx.codes.publicKeyPem,
  reservation: (_p, { id }, ctx) => ctx.reservations.reservation(ctx.viewer, id),
  eventReservations: (_p, { eventId, status, first, offset }, ctx) =>
    ctx.seating.reservations(ctx.viewer, eventId, status, first ?? undefined, offset ?? undefined),
};
