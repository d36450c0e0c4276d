import { z } from "zod";
import { defineEvent } from "../envelope.ts";

/**
 * payment-events: what happened to a payment. The payment id is the message key, so a payment's
 * confirmation and its refund stay in order. The reference (`kind` + `referenceId`) tells the
 * owning subgraph which of its aggregates the money is for.
 */
export const PAYMENT_TOPIC = "payment-events";

const instant = z.iso.datetime({ offset: true });

export const paymentKind = z.enum(["RESERVATION", "TRANSFER", "MEMBERSHIP"]);
export type PaymentKind = z.infer<typeof paymentKind>;

const money = {
  /** Integer minor units of `currency` (KRW has none: whole won). */
  amount: z.number().int().positive(),
  currency: z.string().length(3),
};

const paymentRef = {
  paymentId: z.uuid(),
  orderId: z.string().min(1),
  userId: z.uuid(),
  kind: paymentKind,
  referenceId: z.uuid(),
};

export const PaymentConfirmed = defineEvent({
  type: "payment.confirmed",
  version: 1,
  topic: PAYMENT_TOPIC,
  payload: z.object({ ...paymentRef, ...money, method: z.string().min(1), confirmedAt: instant }),
});

export const PaymentRefunded = defineEvent({
  type: "payment.refunded",
  version: 1,
  topic: PAYMENT_TOPIC,
  payload: z.object({ ...paymentRef, ...money, reason: z.string().min(1), refundedAt: instant }),
});
