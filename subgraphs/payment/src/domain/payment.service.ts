import { randomUUID } from "node:crypto";
import type { Viewer } from "@urr/auth-tokens";
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  isUniqueViolation,
  NotFoundError,
} from "@urr/errors";
import { checkId, requireViewer } from "@urr/subgraph-kit";
import type { PaymentProvider } from "../providers/payment-provider.ts";
import type { ReferenceChecker } from "../references/reference-checker.ts";
import type { RefundPolicy } from "../references/refund-policy.ts";
import type { PaymentRepositories, PaymentStore } from "../repositories/payment-store.ts";
import type { ConfirmationService, ConfirmInput } from "./confirmation.service.ts";
import { newOrderId } from "./order-id.ts";
import type { PaymentKind, PaymentMethod, PaymentOutcomeRecord, PaymentRecord } from "./records.ts";
import type { RefundService } from "./refund.service.ts";

/** What users do with payments: prepare, confirm, pay at once, cancel, and look them up. */
export class PaymentService {
  constructor(
    private readonly deps: {
      store: PaymentStore;
      provider: PaymentProvider;
      references: Record<PaymentKind, ReferenceChecker>;
      confirmation: ConfirmationService;
      refunds: RefundService;
      /** Asks ticket whether a paid reservation may be refunded (transferred tickets); none: no check. */
      refundPolicy?: RefundPolicy;
    },
  ) {}

  /**
   * A pending payment for what the reference's owner says it costs (never an amount from the
   * client). Preparing again while one is pending returns it; a paid reference is a CONFLICT.
   */
  async prepare(viewer: Viewer, kind: PaymentKind, referenceId: string): Promise<PaymentRecord> {
    const user = requireViewer(viewer);
    const reference = checkId(referenceId, "referenceId");
    const payable = await this.deps.references[kind].check(user, reference);
    const { payments } = this.deps.store.repos;
    const live = await payments.findLive(kind, reference);
    if (live?.status === "CONFIRMED")
      throw new ConflictError("This is already paid", { reason: "ALREADY_PAID" });
    if (live && live.amount === payable.amount && live.userId === user.userId) return live;
    try {
      return await this.deps.store.transaction(async (repos) => {
        // A pending payment for an outdated amount (or unclaimed by anyone) makes way for the new one.
        const previous = live ? await repos.payments.lock({ id: live.id }) : null;
        if (previous?.status === "PENDING") {
          const mayReplace = previous.userId === user.userId || payable.claimedForPayer === true;
          if (previous.confirmingSince || !mayReplace) {
            throw new ConflictError("A payment for this is in progress", { reason: "PAYMENT_IN_PROGRESS" });
          }
          await repos.payments.update(previous.id, { status: "CANCELLED", cancelledAt: new Date() });
        }
        return repos.payments.create({
          id: randomUUID(),
          orderId: newOrderId(),
          userId: user.userId,
          kind,
          referenceId: reference,
          orderName: payable.orderName,
          amount: payable.amount,
          currency: payable.currency,
          provider: this.deps.provider.name,
        });
      });
    } catch (error) {
      // A concurrent prepare for the same reference won the unique index: answer with its payment.
      if (!isUniqueViolation(error)) throw error;
      const winner = await payments.findLive(kind, reference);
      if (winner?.userId === user.userId && winner.status === "PENDING") return winner;
      throw new ConflictError("A payment for this is in progress", { reason: "PAYMENT_IN_PROGRESS" });
    }
  }

  confirm(viewer: Viewer, input: ConfirmInput): Promise<PaymentOutcomeRecord> {
    return this.deps.confirmation.confirm(requireViewer(viewer), input);
  }

  /**
   * Instant payment: prepare and confirm in one call, with a server-side charge. Only providers that
   * can charge without the client's checkout support it (the simulated one; Toss needs a billing key
   * we do not keep).
   */
  async process(
    viewer: Viewer,
    kind: PaymentKind,
    referenceId: string,
    method: PaymentMethod,
  ): Promise<PaymentOutcomeRecord> {
    if (!this.deps.provider.instant) {
      throw new BadUserInputError(
        "Instant payment is not available with this provider; use confirmPayment",
        "kind",
        {
          reason: "INSTANT_NOT_SUPPORTED",
        },
      );
    }
    const payment = await this.prepare(viewer, kind, referenceId);
    return this.deps.confirmation.confirm(
      requireViewer(viewer),
      { orderId: payment.orderId, paymentKey: `instant_${payment.id}`, amount: payment.amount },
      method,
    );
  }

  /**
   * Cancels a pending payment, or refunds a confirmed one (the owner or an admin). The refund goes
   * to the provider at once; if the provider cannot answer, the refund stays requested and the
   * reconciler finishes it. Cancelling again returns the payment as it is.
   */
  async cancel(viewer: Viewer, paymentKey: string, reason: string): Promise<PaymentRecord> {
    const user = requireViewer(viewer);
    const why = reason.trim();
    if (why.length < 1 || why.length > 200)
      throw new BadUserInputError("reason must be 1–200 characters", "reason");
    const found = await this.deps.store.repos.payments.findByPaymentKey(paymentKey);
    if (!found) throw new NotFoundError("Payment", paymentKey);
    if (found.userId !== user.userId && user.role !== "ADMIN") {
      throw new ForbiddenError("This payment belongs to someone else", "NOT_OWNER");
    }
    if (found.status === "CONFIRMED") await this.deps.refundPolicy?.assertRefundable(found);
    const decided = await this.deps.store.transaction(async (repos) => {
      const payment = await repos.payments.lock({ id: found.id });
      if (!payment) throw new NotFoundError("Payment", paymentKey);
      const after = await this.decideCancel(repos, payment, why);
      if (after !== payment && payment.userId !== user.userId) {
        // An admin cancelled or refunded someone else's payment: audited with the decision (the
        // provider's refund follows from the recorded request, like the owner's own).
        await repos.audit(user, {
          action: payment.status === "PENDING" ? "payment.cancel" : "payment.refund",
          entityType: "PAYMENT",
          entityId: payment.id,
          before: auditedPayment(payment),
          after: auditedPayment(after),
          reason: why,
        });
      }
      return after;
    });
    if (decided.status !== "CONFIRMED") return decided;
    return this.deps.refunds.execute(decided.id);
  }

  /** Inside the transaction holding the payment's row lock: cancel, request a refund, or refuse. */
  private async decideCancel(
    repos: PaymentRepositories,
    payment: PaymentRecord,
    why: string,
  ): Promise<PaymentRecord> {
    switch (payment.status) {
      case "CANCELLED":
      case "REFUNDED":
        return payment;
      case "FAILED":
        throw new ConflictError("A failed payment has nothing to cancel", { reason: "PAYMENT_FAILED" });
      case "PENDING":
        if (payment.confirmingSince) {
          throw new ConflictError("This payment is being confirmed; cancel it once it is", {
            reason: "PAYMENT_IN_PROGRESS",
          });
        }
        return repos.payments.update(payment.id, {
          status: "CANCELLED",
          cancelledAt: new Date(),
          refundReason: why,
        });
      case "CONFIRMED":
        // Ticket applies no refund of a membership (the term and points would stay): refusing it
        // here keeps money and benefit together until membership refunds exist.
        if (payment.kind === "MEMBERSHIP") {
          throw new ConflictError("A paid fan-club membership is not refunded", {
            reason: "MEMBERSHIP_NOT_REFUNDABLE",
          });
        }
        // Likewise a bought transfer: the ticket has changed hands and ticket applies no reversal.
        // (Transfer payments ticket rejects, and those of a cancelled event, are refunded by events.)
        if (payment.kind === "TRANSFER") {
          throw new ConflictError("A completed ticket transfer is not refunded", {
            reason: "TRANSFER_NOT_REFUNDABLE",
          });
        }
        return this.deps.refunds.request(repos, payment, why);
    }
  }

  /** The owner or an admin; anyone else learns nothing (FORBIDDEN). */
  async byOrderId(viewer: Viewer, orderId: string): Promise<PaymentRecord> {
    const user = requireViewer(viewer);
    const payment = await this.deps.store.repos.payments.findByOrderId(orderId);
    if (!payment) throw new NotFoundError("Payment", orderId);
    if (payment.userId !== user.userId && user.role !== "ADMIN") {
      throw new ForbiddenError("This payment belongs to someone else", "NOT_OWNER");
    }
    return payment;
  }

  /** What a viewer may see of a payment fetched by reference: theirs, or any for admins. */
  static visibleTo(viewer: Viewer, payment: PaymentRecord | null): PaymentRecord | null {
    if (!payment || !viewer.authenticated) return null;
    return payment.userId === viewer.userId || viewer.role === "ADMIN" ? payment : null;
  }
}

/** What the audit log keeps of a payment: its identity, money and outcome (no provider keys). */
function auditedPayment(p: PaymentRecord) {
  return {
    id: p.id,
    orderId: p.orderId,
    userId: p.userId,
    kind: p.kind,
    referenceId: p.referenceId,
    amount: p.amount,
    currency: p.currency,
    status: p.status,
    refundRequestedAt: p.refundRequestedAt,
    refundReason: p.refundReason,
    cancelledAt: p.cancelledAt,
  };
}
