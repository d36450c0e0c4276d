import type { MutationResolvers, QueryResolvers, TicketResolvers } from "../../generated/graphql.ts";

/** The marketplace's fields of the root types and of Ticket, spread into their resolver maps. */
export const transferQueries: Pick<
  QueryResolvers,
  "transfers" | "transfer" | "myTransfers" | "ticketRevocations" | "verifyTicket"
> = {
  transfers: (_p, args, ctx) => ctx.transfers.browse(args),
  transfer: (_p, { id }, ctx) => ctx.transfers.byId(id),
  myTransfers: (_p, _a, ctx) => ctx.transfers.mine(ctx.viewer),
  ticketRevocations: (_p, { eventId, since, first }, ctx) =>
    ctx.ticketVerification.revocations(ctx.viewer, eventId, since, first),
  verifyTicket: (_p, { code }, ctx) => ctx.ticketVerification.verify(ctx.viewer, code),
};

export const transferMutations: Pick<MutationResolvers, "listTicketForTransfer" | "cancelTransfer"> = {
  listTicketForTransfer: (_p, { ticketId }, ctx) => ctx.transfers.list(ctx.viewer, ticketId),
  cancelTransfer: (_p, { id }, ctx) => ctx.transfers.cancel(ctx.viewer, id),
};

export const ticketListing: Pick<TicketResolvers, "listing"> = {
  listing: (ticket, _args, ctx) => ctx.transferLoaders.openByTicket.load(ticket.id),
};
