import type { TransferConnectionResolvers, TransferResolvers } from "../../generated/graphql.ts";
import { amountOf } from "../records.ts";
import { transferCursor } from "../transfer.service.ts";

export const Transfer: TransferResolvers = {
  __resolveReference: (reference, ctx) => ctx.transfers.byId(reference.id),
  event: (transfer) => ({ id: transfer.eventId }),
  label: async (transfer, _args, ctx) => (await ctx.loaders.ticketById.load(transfer.ticketId))?.label ?? "",
  // The ticket (and its code) only to whoever owns it now, or an admin.
  ticket: async (transfer, _args, ctx) => {
    const ticket = await ctx.loaders.ticketById.load(transfer.ticketId);
    const viewer = ctx.viewer;
    if (!ticket || !viewer.authenticated) return null;
    return ticket.userId === viewer.userId || viewer.role === "ADMIN" ? ticket : null;
  },
  amount: (transfer) => amountOf(transfer),
  mine: (transfer, _args, ctx) => ctx.viewer.authenticated && ctx.viewer.userId === transfer.sellerId,
};

/** Pages from the service become a Relay-style connection here, and only here. */
export const TransferConnection: TransferConnectionResolvers = {
  edges: (page) => page.items.map((node) => ({ node, cursor: transferCursor(node) })),
  pageInfo: (page) => {
    const last = page.items.at(-1);
    return { hasNextPage: page.hasNextPage, endCursor: last ? transferCursor(last) : null };
  },
};
