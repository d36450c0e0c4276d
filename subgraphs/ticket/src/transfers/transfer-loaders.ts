import DataLoader from "dataloader";
import type { TicketStore } from "../repositories/ticket-store.ts";
import type { TransferRecord } from "./records.ts";

export interface TransferLoaders {
  /** A ticket's open listing (LISTED or RESERVED), for `Ticket.listing` on a list of tickets. */
  openByTicket: DataLoader<string, TransferRecord | null>;
}

/** Per request, like the subgraph's other loaders; cached only within one request. */
export function createTransferLoaders(
  store: TicketStore,
  options: { cache?: boolean } = {},
): TransferLoaders {
  const { transfers } = store.repos;
  return {
    openByTicket: new DataLoader(
      async (ticketIds) => {
        const open = new Map((await transfers.findOpenForTickets(ticketIds)).map((t) => [t.ticketId, t]));
        return ticketIds.map((id) => open.get(id) ?? null);
      },
      { cache: options.cache ?? true },
    ),
  };
}
