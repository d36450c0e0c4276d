import type { PaymentLogRecord } from "../domain/records.ts";
import type { ProviderExchange } from "../providers/payment-provider.ts";
import type { Db, Prisma } from "./prisma.ts";

/** The append-only record of every provider exchange (a database trigger refuses changes). */
export class PaymentLogRepository {
  constructor(private readonly db: Db) {}

  async append(
    paymentId: string,
    action: "CONFIRM" | "CANCEL" | "LOOKUP",
    exchange: ProviderExchange,
  ): Promise<void> {
    await this.db.paymentLog.create({
      data: {
        paymentId,
        action,
        outcome: exchange.outcome.kind,
        httpStatus: exchange.httpStatus,
        request: exchange.request as Prisma.InputJsonValue,
        response: (exchange.response ?? undefined) as Prisma.InputJsonValue | undefined,
        durationMs: exchange.durationMs,
      },
    });
  }

  listForPayments(paymentIds: readonly string[]): Promise<PaymentLogRecord[]> {
    return this.db.paymentLog.findMany({
      where: { paymentId: { in: [...paymentIds] } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
  }
}
