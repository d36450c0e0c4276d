import type { Db } from "./prisma.ts";

/** The tickets-sold projection (fed by the ticket subgraph's reservation events). */
export class SalesRepository {
  constructor(private readonly db: Db) {}

  async ticketsSold(eventId: string): Promise<number> {
    const row = await this.db.eventSales.findUnique({ where: { eventId }, select: { ticketsSold: true } });
    return row?.ticketsSold ?? 0;
  }

  /** Moves an event's count by a confirmed (+) or refunded (−) reservation's quantity. */
  async add(eventId: string, delta: number): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO event_sales (event_id, tickets_sold, updated_at) VALUES (${eventId}::uuid, ${delta}, now())
      ON CONFLICT (event_id) DO UPDATE SET tickets_sold = event_sales.tickets_sold + ${delta}, updated_at = now()`;
  }
}
