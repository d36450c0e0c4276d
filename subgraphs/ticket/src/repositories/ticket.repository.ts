import type { TicketRecord } from "../domain/records.ts";
import type { Db } from "./prisma.ts";

export type NewTicket = Omit<TicketRecord, "status" | "issuedAt" | "revokedAt">;

export class TicketRepository {
  constructor(private readonly db: Db) {}

  async issue(tickets: NewTicket[]): Promise<void> {
    await this.db.ticket.createMany({ data: tickets });
  }

  /** Revokes a refunded reservation's tickets; returns how many were still valid. */
  async revokeForReservation(reservationId: string, at: Date): Promise<number> {
    const { count } = await this.db.ticket.updateMany({
      where: { reservationId, status: "ISSUED" },
      data: { status: "REVOKED", revokedAt: at },
    });
    return count;
  }

  listForUsers(userIds: readonly string[]): Promise<TicketRecord[]> {
    return this.db.ticket.findMany({
      where: { userId: { in: [...userIds] } },
      orderBy: [{ issuedAt: "desc" }, { id: "asc" }],
      take: 500,
    });
  }

  listForReservations(reservationIds: readonly string[]): Promise<TicketRecord[]> {
    return this.db.ticket.findMany({
      where: { reservationId: { in: [...reservationIds] } },
      orderBy: { id: "asc" },
    });
  }

  findByIds(ids: readonly string[]): Promise<TicketRecord[]> {
    return this.db.ticket.findMany({ where: { id: { in: [...ids] } } });
  }
}
