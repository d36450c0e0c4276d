/** Payment records as the domain sees them (repositories return these, never Prisma rows). */
import type { PaymentMethod } from "../providers/payment-provider.ts";

export type PaymentStatus = "PENDING" | "CONFIRMED" | "CANCELLED" | "REFUNDED" | "FAILED";
export type PaymentKind = "RESERVATION" | "TRANSFER" | "MEMBERSHIP";
export type { PaymentMethod };

export interface PaymentRecord {
  id: string;
  orderId: string;
  userId: string;
  kind: PaymentKind;
  referenceId: string;
  orderName: string;
  amount: number;
  currency: string;
  method: PaymentMethod | null;
  status: PaymentStatus;
  provider: string;
  paymentKey: string | null;
  providerStatus: string | null;
  confirmingSince: Date | null;
  failureCode: string | null;
  failureMessage: string | null;
  refundRequestedAt: Date | null;
  refundReason: string | null;
  fulfilledAt: Date | null;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  refundedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PaymentLogRecord {
  id: string;
  paymentId: string;
  action: string;
  outcome: string;
  httpStatus: number | null;
  request: unknown;
  response: unknown;
  durationMs: number;
  createdAt: Date;
}

/** A reservation as payment knows it: only its id (ticket owns the rest). */
export interface ReservationRef {
  id: string;
}

/** What confirmPayment and processPayment answer: the payment and, when refused, why. */
export interface PaymentOutcomeRecord {
  outcome: "CONFIRMED" | "DECLINED" | "VERIFYING" | "CANCELLED";
  payment: PaymentRecord;
  failure: { code: string; message: string } | null;
}
