import { createEvent, PaymentConfirmed, PaymentRefunded } from "@urr/events";
import type { PaymentRecord } from "./records.ts";

/** The payment-events a payment's state changes emit; the order id is the saga id. */
export function paymentConfirmedEvent(payment: PaymentRecord, confirmedAt: Date) {
  return createEvent(
    PaymentConfirmed,
    payment.id,
    {
      paymentId: payment.id,
      orderId: payment.orderId,
      userId: payment.userId,
      kind: payment.kind,
      referenceId: payment.referenceId,
      amount: payment.amount,
      currency: payment.currency,
      method: payment.method ?? "CARD",
      confirmedAt: confirmedAt.toISOString(),
    },
    { sagaId: payment.orderId },
  );
}

export function paymentRefundedEvent(payment: PaymentRecord, reason: string, refundedAt: Date) {
  return createEvent(
    PaymentRefunded,
    payment.id,
    {
      paymentId: payment.id,
      orderId: payment.orderId,
      userId: payment.userId,
      kind: payment.kind,
      referenceId: payment.referenceId,
      amount: payment.amount,
      currency: payment.currency,
      reason,
      refundedAt: refundedAt.toISOString(),
    },
    { sagaId: payment.orderId },
  );
}
