import type { PaymentProvider, ProviderExchange, ProviderOutcome } from "./payment-provider.ts";

/**
 * A provider inside the process for `npm start` and demos: approves every confirmation (as a card
 * payment) except paymentKeys starting with `decline`, which are refused like a rejected card, so
 * the failure path can be tried without a real PG. It takes no money and refuses to run in
 * production (see config). Idempotent like a real provider: a key confirmed once stays confirmed.
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  readonly name = "simulated";
  readonly instant = true;
  private readonly payments = new Map<string, { orderId: string; status: "DONE" | "CANCELED" }>();

  async confirm(input: { paymentKey: string; orderId: string; amount: number }): Promise<ProviderExchange> {
    const request = { method: "POST", path: "/confirm", body: { ...input } };
    if (input.paymentKey.startsWith("decline")) {
      return this.exchange(request, {
        kind: "DECLINED",
        code: "REJECT_CARD_PAYMENT",
        message: "The card was declined (simulated)",
      });
    }
    const known = this.payments.get(input.paymentKey);
    if (known && known.orderId !== input.orderId) {
      return this.exchange(request, {
        kind: "DECLINED",
        code: "DUPLICATED_PAYMENT_KEY",
        message: "paymentKey belongs to another order",
      });
    }
    if (!known) this.payments.set(input.paymentKey, { orderId: input.orderId, status: "DONE" });
    return this.exchange(request, {
      kind: "APPROVED",
      method: "CARD",
      providerStatus: "DONE",
      at: new Date(),
    });
  }

  async cancel(input: { paymentKey: string; reason: string }): Promise<ProviderExchange> {
    const request = { method: "POST", path: "/cancel", body: { ...input } };
    const known = this.payments.get(input.paymentKey);
    // A key this process never saw was confirmed before a restart: the simulation has no money to return.
    if (known) known.status = "CANCELED";
    return this.exchange(request, {
      kind: "APPROVED",
      method: null,
      providerStatus: "CANCELED",
      at: new Date(),
    });
  }

  async lookup(paymentKey: string): Promise<ProviderExchange> {
    const known = this.payments.get(paymentKey);
    const outcome: ProviderOutcome = known
      ? { kind: "APPROVED", method: "CARD", providerStatus: known.status, at: new Date() }
      : { kind: "NOT_FOUND" };
    return this.exchange({ method: "GET", path: `/payments/${paymentKey}` }, outcome);
  }

  private exchange(request: Record<string, unknown>, outcome: ProviderOutcome): ProviderExchange {
    return {
      outcome,
      httpStatus: null,
      request,
      response: { simulated: true, outcome: outcome.kind },
      durationMs: 0,
    };
  }
}
