import { PaymentRefunded } from "@urr/events";
import type { Logger } from "@urr/logger";
import type { PaymentProvider } from "../providers/payment-provider.ts";
import type { PaymentRepositories, PaymentStore } from "../repositories/payment-store.ts";
import { paymentRefundedEvent } from "./payment-events.ts";
import type { PaymentRecord } from "./records.ts";
import { SingleFlight } from "./single-flight.ts";

/**
 * Refunds in two durable steps. `request` records the decision inside the caller's transaction (a
 * user's cancel, or the saga's "the seats were gone"), so it survives a crash. `execute` then asks
 * the provider (idempotency key per payment: retries never refund twice) and, in one transaction,
 * marks the payment REFUNDED and puts PaymentRefunded in the outbox. The reconciler executes any
 * refund that was requested but not finished.
 */
export class RefundService {
  private readonly flights = new SingleFlight<PaymentRecord>();

  constructor(private readonly deps: { store: PaymentStore; provider: PaymentProvider; logger: Logger }) {}

  /** Inside a transaction that holds the payment's row lock. */
  async request(repos: PaymentRepositories, payment: PaymentRecord, reason: string): Promise<PaymentRecord> {
    if (payment.status !== "CONFIRMED" || payment.refundRequestedAt) return payment;
    return repos.payments.update(payment.id, {
      refundRequestedAt: new Date(),
      refundReason: reason.slice(0, 200),
    });
  }

  execute(paymentId: string): Promise<PaymentRecord> {
    return this.flights.run(paymentId, () => this.refundAtProvider(paymentId));
  }

  private async refundAtProvider(paymentId: string): Promise<PaymentRecord> {
    const payment = await this.deps.store.repos.payments.findById(paymentId);
    if (!payment) throw new Error(`payment ${paymentId} not found`);
    if (payment.status !== "CONFIRMED" || !payment.refundRequestedAt || !payment.paymentKey) return payment;
    const reason = payment.refundReason ?? "REFUND";
    const exchange = await this.deps.provider.cancel({
      paymentKey: payment.paymentKey,
      reason,
      idempotencyKey: `refund-${payment.id}`,
    });
    const settled = await this.deps.store.transaction(async (repos) => {
      await repos.logs.append(payment.id, "CANCEL", exchange);
      const current = await repos.payments.lock({ id: payment.id });
      if (current?.status !== "CONFIRMED") return current ?? payment;
      if (exchange.outcome.kind !== "APPROVED") {
        // Declined or unknown: the request stays, the reconciler retries; a decline is reported.
        return current;
      }
      const now = new Date();
      const refunded = await repos.payments.update(current.id, {
        status: "REFUNDED",
        refundedAt: now,
        providerStatus: exchange.outcome.providerStatus,
      });
      await repos.publish(PaymentRefunded, paymentRefundedEvent(refunded, reason, now));
      return refunded;
    });
    this.deps.logger.info(
      { paymentId, status: settled.status, provider: exchange.outcome.kind },
      "refund attempted",
    );
    return settled;
  }
}
