import { randomUUID } from "node:crypto";
import type { Viewer } from "@urr/auth-tokens";
import { PaymentConfirmed } from "@urr/events";
import { type PeriodicJob, startPeriodicJob } from "@urr/jobs";
import type { Logger } from "@urr/logger";
import { requireAdmin } from "@urr/subgraph-kit";
import type { PaymentProvider } from "../providers/payment-provider.ts";
import type { ReservationSnapshot } from "../references/ticket-client.ts";
import type { PaymentStore } from "../repositories/payment-store.ts";
import type { ConfirmationService } from "./confirmation.service.ts";
import { paymentConfirmedEvent } from "./payment-events.ts";
import type { PaymentRecord } from "./records.ts";
import type { RefundService } from "./refund.service.ts";

export interface ReconciliationAction {
  paymentId: string;
  orderId: string;
  finding: string;
  action: string;
}

/**
 * Finds payments and reservations that disagree and repairs them, reporting each repair:
 *
 * - a confirmation whose provider answer never came (timeout, crash): looked up at the provider
 *   and settled as the provider says (charged → confirmed and announced; unknown there → failed);
 * - a refund that was decided but not carried out: carried out;
 * - a confirmed payment whose reservation has not confirmed in time: if ticket confirmed it (the
 *   event back was lost), marked fulfilled; if the reservation still waits, PaymentConfirmed is
 *   sent again (ticket applies it at most once); if the reservation is gone, refunded; for a transfer,
 *   PaymentConfirmed is sent again (ticket completes, rejects or re-announces it).
 */
export class Reconciler {
  private job: PeriodicJob | undefined;

  constructor(
    private readonly deps: {
      store: PaymentStore;
      provider: PaymentProvider;
      confirmation: ConfirmationService;
      refunds: RefundService;
      reservation: (id: string) => Promise<ReservationSnapshot | null>;
      logger: Logger;
      /** A claim older than this has lost its provider call. */
      staleClaimMs: number;
      /** A confirmed payment older than this should have been fulfilled. */
      fulfilmentGraceMs: number;
    },
  ) {}

  /**
   * An admin's `reconcilePayments`: one run now, recorded in the audit log as one RECONCILIATION
   * entry (a fresh run id) listing the repairs. The repairs cannot share a transaction with the
   * entry: each one commits on its own, around provider calls, as in the periodic run. So the entry
   * is written once the run ends, with every repair that took effect, even when a later step
   * failed; a run that failed before repairing anything changed nothing and records nothing.
   */
  async runAsAdmin(viewer: Viewer): Promise<ReconciliationAction[]> {
    const admin = requireAdmin(viewer);
    const startedAt = new Date();
    const actions: ReconciliationAction[] = [];
    let failure: unknown;
    try {
      await this.runOnce(actions);
    } catch (error) {
      failure = error;
    }
    if (failure === undefined || actions.length > 0) {
      await this.deps.store.transaction((repos) =>
        repos.audit(admin, {
          action: "reconciliation.run",
          entityType: "RECONCILIATION",
          entityId: randomUUID(),
          before: null,
          after: { startedAt, completed: failure === undefined, actions },
        }),
      );
    }
    if (failure !== undefined) throw failure;
    return actions;
  }

  /** One run; each repair is appended to `actions` as it commits (the caller sees partial runs). */
  async runOnce(actions: ReconciliationAction[] = []): Promise<ReconciliationAction[]> {
    const now = Date.now();
    const { payments } = this.deps.store.repos;
    for (const payment of await payments.stuckConfirmations(new Date(now - this.deps.staleClaimMs))) {
      actions.push(await this.settleStuck(payment));
    }
    for (const payment of await payments.refundsDue()) {
      const after = await this.deps.refunds.execute(payment.id);
      actions.push(
        report(
          payment,
          `refund requested (${payment.refundReason})`,
          after.status === "REFUNDED" ? "refunded" : "refund still pending at the provider",
        ),
      );
    }
    for (const payment of await payments.unfulfilled(new Date(now - this.deps.fulfilmentGraceMs))) {
      if (payment.kind === "RESERVATION") actions.push(await this.fulfil(payment));
      if (payment.kind === "TRANSFER") actions.push(await this.resendTransfer(payment));
    }
    for (const action of actions) this.deps.logger.warn(action, "reconciled a payment");
    return actions;
  }

  /**
   * A confirmed transfer payment ticket has not answered: PaymentConfirmed is sent again. Ticket
   * applies it once — completing the transfer, rejecting it (then the refund follows), or, when it
   * already completed with this payment, announcing `transfer.completed` again — so either way the
   * payment ends fulfilled or refunded.
   */
  private async resendTransfer(payment: PaymentRecord): Promise<ReconciliationAction> {
    await this.deps.store.transaction((repos) =>
      repos.publish(PaymentConfirmed, paymentConfirmedEvent(payment, payment.confirmedAt ?? new Date())),
    );
    return report(
      payment,
      "confirmed transfer payment, no answer from ticket",
      "PaymentConfirmed sent again",
    );
  }

  private async settleStuck(payment: PaymentRecord): Promise<ReconciliationAction> {
    const finding = "confirmation without a provider answer";
    if (!payment.paymentKey) return report(payment, finding, "none: no payment key");
    const exchange = await this.deps.provider.lookup(payment.paymentKey);
    const result = await this.deps.confirmation.settle(payment.id, "LOOKUP", exchange);
    return report(
      payment,
      finding,
      `provider says ${exchange.outcome.kind}: payment ${result.payment.status}`,
    );
  }

  private async fulfil(payment: PaymentRecord): Promise<ReconciliationAction> {
    const finding = "confirmed payment, reservation not confirmed";
    let reservation: ReservationSnapshot | null;
    try {
      reservation = await this.deps.reservation(payment.referenceId);
    } catch {
      return report(payment, finding, "none: ticket unreachable, next run retries");
    }
    if (reservation?.status === "CONFIRMED" && reservation.paymentId === payment.id) {
      await this.deps.store.repos.payments.update(payment.id, { fulfilledAt: new Date() });
      return report(payment, finding, "ticket had confirmed it: marked fulfilled");
    }
    if (reservation?.status === "PENDING") {
      await this.deps.store.transaction((repos) =>
        repos.publish(PaymentConfirmed, paymentConfirmedEvent(payment, payment.confirmedAt ?? new Date())),
      );
      return report(payment, finding, "reservation still pending: PaymentConfirmed sent again");
    }
    const reason = `RECONCILED_${reservation ? reservation.status : "UNKNOWN_RESERVATION"}`;
    await this.deps.store.transaction(async (repos) => {
      const locked = await repos.payments.lock({ id: payment.id });
      if (locked) await this.deps.refunds.request(repos, locked, reason);
    });
    const after = await this.deps.refunds.execute(payment.id);
    return report(
      payment,
      finding,
      `reservation ${reservation?.status ?? "missing"}: ${after.status === "REFUNDED" ? "refunded" : "refund requested"}`,
    );
  }

  start(intervalMs: number): void {
    this.job = startPeriodicJob({
      name: "reconciliation",
      intervalMs,
      logger: this.deps.logger,
      run: () => this.runOnce(),
    });
  }

  async stop(): Promise<void> {
    await this.job?.stop();
  }
}

function report(payment: PaymentRecord, finding: string, action: string): ReconciliationAction {
  return { paymentId: payment.id, orderId: payment.orderId, finding, action };
}
