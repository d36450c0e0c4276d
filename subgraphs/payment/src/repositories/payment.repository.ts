import type { PaymentKind, PaymentRecord } from "../domain/records.ts";
import type { Db, Prisma } from "./prisma.ts";

export type NewPayment = Pick<
  PaymentRecord,
  "id" | "orderId" | "userId" | "kind" | "referenceId" | "orderName" | "amount" | "currency" | "provider"
>;

export class PaymentRepository {
  constructor(private readonly db: Db) {}

  create(payment: NewPayment): Promise<PaymentRecord> {
    return this.db.payment.create({ data: payment });
  }

  findById(id: string): Promise<PaymentRecord | null> {
    return this.db.payment.findUnique({ where: { id } });
  }

  findByIds(ids: readonly string[]): Promise<PaymentRecord[]> {
    return this.db.payment.findMany({ where: { id: { in: [...ids] } } });
  }

  findByOrderId(orderId: string): Promise<PaymentRecord | null> {
    return this.db.payment.findUnique({ where: { orderId } });
  }

  findByPaymentKey(paymentKey: string): Promise<PaymentRecord | null> {
    return this.db.payment.findUnique({ where: { paymentKey } });
  }

  /** Row lock for the rest of the transaction: confirmations and refunds of one payment serialise here. */
  async lock(where: { orderId: string } | { id: string }): Promise<PaymentRecord | null> {
    const rows =
      "orderId" in where
        ? await this.db.$queryRaw<
            { id: string }[]
          >`SELECT id FROM payments WHERE order_id = ${where.orderId} FOR UPDATE`
        : await this.db.$queryRaw<
            { id: string }[]
          >`SELECT id FROM payments WHERE id = ${where.id}::uuid FOR UPDATE`;
    return rows[0] ? this.findById(rows[0].id) : null;
  }

  /** The pending or confirmed payment of a reference, if any (at most one: a partial unique index). */
  findLive(kind: PaymentKind, referenceId: string): Promise<PaymentRecord | null> {
    return this.db.payment.findFirst({
      where: { kind, referenceId, status: { in: ["PENDING", "CONFIRMED"] } },
    });
  }

  /** The newest payment of each reference. */
  async latestForReferences(kind: PaymentKind, referenceIds: readonly string[]): Promise<PaymentRecord[]> {
    return this.db.payment.findMany({
      where: { kind, referenceId: { in: [...referenceIds] } },
      orderBy: [{ createdAt: "desc" }],
      distinct: ["referenceId"],
    });
  }

  listForUsers(userIds: readonly string[]): Promise<PaymentRecord[]> {
    return this.db.payment.findMany({
      where: { userId: { in: [...userIds] } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 200,
    });
  }

  update(id: string, data: Prisma.PaymentUpdateInput): Promise<PaymentRecord> {
    return this.db.payment.update({ where: { id }, data });
  }

  /** Confirmations whose provider call never reported back (timeout, crash) for longer than `before`. */
  stuckConfirmations(before: Date, limit = 100): Promise<PaymentRecord[]> {
    return this.db.payment.findMany({
      where: { status: "PENDING", confirmingSince: { lte: before } },
      orderBy: { confirmingSince: "asc" },
      take: limit,
    });
  }

  /** Refunds decided but not yet carried out at the provider. */
  refundsDue(limit = 100): Promise<PaymentRecord[]> {
    return this.db.payment.findMany({
      where: { status: "CONFIRMED", refundRequestedAt: { not: null } },
      orderBy: { refundRequestedAt: "asc" },
      take: limit,
    });
  }

  /** Confirmed payments whose reference has not been confirmed by its owner since `before`. */
  unfulfilled(before: Date, limit = 100): Promise<PaymentRecord[]> {
    return this.db.payment.findMany({
      where: {
        status: "CONFIRMED",
        fulfilledAt: null,
        refundRequestedAt: null,
        confirmedAt: { lte: before },
      },
      orderBy: { confirmedAt: "asc" },
      take: limit,
    });
  }
}
