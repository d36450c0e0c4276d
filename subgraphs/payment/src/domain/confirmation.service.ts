import type { AuthenticatedViewer } from "@urr/auth-tokens";
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  isUniqueViolation,
  NotFoundError,
} from "@urr/errors";
import { PaymentConfirmed } from "@urr/events";
import type { Logger } from "@urr/logger";
import { counter, SpanKind, withSpan } from "@urr/telemetry";
import type { PaymentProvider, ProviderExchange } from "../providers/payment-provider.ts";
import type { PaymentStore } from "../repositories/payment-store.ts";
import { paymentConfirmedEvent } from "./payment-events.ts";
import type { PaymentMethod, PaymentOutcomeRecord, PaymentRecord } from "./records.ts";
import { SingleFlight } from "./single-flight.ts";

export interface ConfirmInput {
  orderId: string;
  paymentKey: string;
  amount: number;
}

/** Settled confirmations (a payment's first outcome only; re-asks of a settled one are not counted). */
const payments = counter({
  name: "urr_payments_total",
  help: "Payment confirmations settled with the provider, by outcome: CONFIRMED, DECLINED, VERIFYING (outcome unknown, reconciled later)",
  labelNames: ["outcome"] as const,
});

type Claim =
  | { kind: "done"; result: PaymentOutcomeRecord }
  | { kind: "claimed"; payment: PaymentRecord }
  | { kind: "in-flight"; payment: PaymentRecord };

/**
 * Confirms a payment with the provider exactly once, however many times and from however many
 * places it is asked.
 *
 * 1. Claim, in a short transaction with the row locked: ownership and amount are checked (a wrong
 *    amount charges nothing), a settled payment answers with its first result, and a pending one is
 *    marked `confirmingSince` with the paymentKey. Whoever finds a live claim waits for its outcome.
 * 2. The provider call runs outside any transaction (no row lock is held across the network), with
 *    an idempotency key, so even a retry after a lost answer cannot charge twice.
 * 3. Settle, again under the row lock: the exchange is logged; approval confirms the payment and
 *    puts PaymentConfirmed in the outbox in the same transaction; a decline fails it; an unknown
 *    outcome (timeout) leaves it claimed for the reconciler to look up.
 */
export class ConfirmationService {
  private readonly flights = new SingleFlight<PaymentOutcomeRecord>();
  private readonly claimTtlMs: number;

  constructor(
    private readonly deps: {
      store: PaymentStore;
      provider: PaymentProvider;
      logger: Logger;
      /** The provider's timeout; a claim older than this plus a margin is stale. */
      providerTimeoutMs: number;
    },
  ) {
    this.claimTtlMs = deps.providerTimeoutMs + 5_000;
  }

  async confirm(
    user: AuthenticatedViewer,
    input: ConfirmInput,
    method?: PaymentMethod,
  ): Promise<PaymentOutcomeRecord> {
    checkInput(input);
    const deadline = Date.now() + this.claimTtlMs;
    for (;;) {
      const claim = await this.claim(user, input);
      if (claim.kind === "done") return claim.result;
      if (claim.kind === "claimed") {
        return this.flights.run(claim.payment.id, () => this.callProvider(claim.payment, input, method));
      }
      // Someone (here or in another instance) is with the provider: share or await their outcome.
      const running = this.flights.current(claim.payment.id);
      if (running) return running;
      if (Date.now() > deadline) return verifying(claim.payment);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private claim(user: AuthenticatedViewer, input: ConfirmInput): Promise<Claim> {
    return this.deps.store
      .transaction(async (repos): Promise<Claim> => {
        const payment = await repos.payments.lock({ orderId: input.orderId });
        if (!payment) throw new NotFoundError("Payment", input.orderId);
        if (payment.userId !== user.userId)
          throw new ForbiddenError("This payment belongs to someone else", "NOT_OWNER");
        if (input.amount !== payment.amount) {
          throw new BadUserInputError(`amount must be the order's amount`, "amount", {
            reason: "AMOUNT_MISMATCH",
          });
        }
        const sameKey = payment.paymentKey === input.paymentKey;
        switch (payment.status) {
          case "CONFIRMED":
            if (sameKey) return { kind: "done", result: resultOf(payment) };
            throw new ConflictError("This order is already paid", { reason: "ALREADY_CONFIRMED" });
          case "FAILED":
            if (sameKey) return { kind: "done", result: resultOf(payment) };
            throw new ConflictError("This payment failed; prepare a new one", { reason: "PAYMENT_FAILED" });
          case "CANCELLED":
          case "REFUNDED":
            throw new ConflictError(`This payment is ${payment.status.toLowerCase()}`, {
              reason: `PAYMENT_${payment.status}`,
            });
          case "PENDING":
            break;
        }
        if (payment.paymentKey && !sameKey) {
          throw new ConflictError("This order is being paid with another paymentKey", {
            reason: "PAYMENT_KEY_MISMATCH",
          });
        }
        const claimedAt = payment.confirmingSince?.getTime();
        if (claimedAt !== undefined && Date.now() - claimedAt < this.claimTtlMs)
          return { kind: "in-flight", payment };
        const claimed = await repos.payments.update(payment.id, {
          paymentKey: input.paymentKey,
          confirmingSince: new Date(),
        });
        return { kind: "claimed", payment: claimed };
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) {
          throw new ConflictError("paymentKey belongs to another payment", {
            reason: "DUPLICATE_PAYMENT_KEY",
          });
        }
        throw error;
      });
  }

  private async callProvider(payment: PaymentRecord, input: ConfirmInput, method?: PaymentMethod) {
    const exchange = await withSpan("payment provider confirm", { kind: SpanKind.CLIENT }, () =>
      this.deps.provider.confirm({
        paymentKey: input.paymentKey,
        orderId: payment.orderId,
        amount: payment.amount,
        idempotencyKey: `confirm-${payment.id}`,
      }),
    );
    return this.settle(payment.id, "CONFIRM", exchange, method);
  }

  /**
   * Applies a provider's answer about a confirmation (from confirm or from a reconciler's lookup).
   * Idempotent: a payment that is no longer pending keeps its state.
   */
  async settle(
    paymentId: string,
    action: "CONFIRM" | "LOOKUP",
    exchange: ProviderExchange,
    method?: PaymentMethod,
  ): Promise<PaymentOutcomeRecord> {
    let settledNow = false;
    const result = await this.deps.store.transaction(async (repos) => {
      await repos.logs.append(paymentId, action, exchange);
      const payment = await repos.payments.lock({ id: paymentId });
      if (!payment) throw new Error(`payment ${paymentId} vanished`);
      if (payment.status !== "PENDING") return resultOf(payment);
      // A reconciler's lookup that still finds no outcome is the same unknown again, not another.
      settledNow = exchange.outcome.kind !== "UNKNOWN" || action === "CONFIRM";
      const outcome = exchange.outcome;
      switch (outcome.kind) {
        case "APPROVED": {
          const confirmed = await repos.payments.update(paymentId, {
            status: "CONFIRMED",
            method: method ?? outcome.method ?? "CARD",
            providerStatus: outcome.providerStatus,
            confirmedAt: outcome.at,
            confirmingSince: null,
          });
          await repos.publish(PaymentConfirmed, paymentConfirmedEvent(confirmed, outcome.at));
          return resultOf(confirmed);
        }
        case "DECLINED":
        case "NOT_FOUND": {
          const failed = await repos.payments.update(paymentId, {
            status: "FAILED",
            confirmingSince: null,
            failureCode: outcome.kind === "DECLINED" ? outcome.code.slice(0, 60) : "NOT_FOUND_PAYMENT",
            failureMessage:
              outcome.kind === "DECLINED"
                ? outcome.message.slice(0, 500)
                : "The provider does not know this payment",
          });
          return resultOf(failed);
        }
        case "UNKNOWN":
          return verifying(payment);
      }
    });
    if (settledNow) payments.inc({ outcome: result.outcome });
    this.deps.logger.info({ paymentId, action, outcome: result.outcome }, "payment confirmation settled");
    return result;
  }
}

function checkInput(input: ConfirmInput): void {
  if (!/^[A-Za-z0-9_-]{6,64}$/.test(input.orderId))
    throw new BadUserInputError("orderId is malformed", "orderId");
  if (input.paymentKey.length < 1 || input.paymentKey.length > 200 || /\s/.test(input.paymentKey)) {
    throw new BadUserInputError("paymentKey must be 1–200 characters without spaces", "paymentKey");
  }
  if (!Number.isInteger(input.amount) || input.amount <= 0) {
    throw new BadUserInputError("amount must be a positive integer (minor units)", "amount");
  }
}

export function resultOf(payment: PaymentRecord): PaymentOutcomeRecord {
  if (payment.status === "FAILED") {
    return {
      outcome: "DECLINED",
      payment,
      failure: { code: payment.failureCode ?? "DECLINED", message: payment.failureMessage ?? "Declined" },
    };
  }
  if (payment.status === "PENDING") return verifying(payment);
  if (payment.status === "CONFIRMED") return { outcome: "CONFIRMED", payment, failure: null };
  return { outcome: "CANCELLED", payment, failure: null };
}

function verifying(payment: PaymentRecord): PaymentOutcomeRecord {
  return {
    outcome: "VERIFYING",
    payment,
    failure: {
      code: "PROVIDER_UNAVAILABLE",
      message: "The payment is being verified with the provider; check back shortly",
    },
  };
}
