import type { Db } from "./prisma.ts";

/** The tickets-sold projection (fed by the ticket subgraph's reservation events). */
export class SalesRepository {
  constructor(private readonly db: Db) {}

  async ticketsSold(eventId: string): Promise<number> {
    const row = await this.db.eventSales.findUnique({ where: { eventId }, select: { ticketsSold: true } });
    return row?.ticketsSold ?? 0;
  }
}
