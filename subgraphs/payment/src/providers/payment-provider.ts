/**
 * What payment needs from a payment provider (PG). Both calls are idempotent at the provider for a
 * given idempotency key, which is what makes retrying an unknown outcome safe: the same payment is
 * never charged twice.
 */
export type PaymentMethod = "CARD" | "TRANSFER" | "VIRTUAL_ACCOUNT" | "MOBILE_PHONE" | "EASY_PAY";

export type ProviderOutcome =
  /** The money moved (or, for a cancel, went back). */
  | { kind: "APPROVED"; method: PaymentMethod | null; providerStatus: string; at: Date }
  /** The provider refused; nothing was charged. `code` is the provider's. */
  | { kind: "DECLINED"; code: string; message: string }
  /** The provider does not know this payment. */
  | { kind: "NOT_FOUND" }
  /** Timeout, network failure or provider error: the outcome is unknown and must be looked up. */
  | { kind: "UNKNOWN"; reason: string };

/** One request and its answer, as the append-only payment log keeps them. */
export interface ProviderExchange {
  outcome: ProviderOutcome;
  httpStatus: number | null;
  request: Record<string, unknown>;
  response: unknown;
  durationMs: number;
}

export interface PaymentProvider {
  readonly name: string;
  /** Whether the provider can charge without a client-side checkout (`processPayment`). */
  readonly instant: boolean;
  confirm(input: {
    paymentKey: string;
    orderId: string;
    amount: number;
    idempotencyKey: string;
  }): Promise<ProviderExchange>;
  cancel(input: { paymentKey: string; reason: string; idempotencyKey: string }): Promise<ProviderExchange>;
  lookup(paymentKey: string): Promise<ProviderExchange>;
}
