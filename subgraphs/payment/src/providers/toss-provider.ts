import type {
  PaymentMethod,
  PaymentProvider,
  ProviderExchange,
  ProviderOutcome,
} from "./payment-provider.ts";

/** Toss reports methods in Korean (and English in some API versions). */
const METHODS: Record<string, PaymentMethod> = {
  카드: "CARD",
  CARD: "CARD",
  계좌이체: "TRANSFER",
  TRANSFER: "TRANSFER",
  가상계좌: "VIRTUAL_ACCOUNT",
  VIRTUAL_ACCOUNT: "VIRTUAL_ACCOUNT",
  휴대폰: "MOBILE_PHONE",
  MOBILE_PHONE: "MOBILE_PHONE",
  간편결제: "EASY_PAY",
  EASY_PAY: "EASY_PAY",
};

/** Provider-side failures that say nothing about whether the money moved. */
const UNKNOWN_CODES = new Set([
  "PROVIDER_ERROR",
  "FAILED_INTERNAL_SYSTEM_PROCESSING",
  "FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING",
]);

interface TossPayment {
  paymentKey?: string;
  orderId?: string;
  status?: string;
  method?: string | null;
  approvedAt?: string | null;
  totalAmount?: number;
}

interface TossError {
  code?: string;
  message?: string;
}

/**
 * Toss Payments' two-step card flow over HTTP: the client's checkout widget yields a paymentKey;
 * we confirm it with our order id and amount (`POST /v1/payments/confirm`), can cancel it
 * (`POST /v1/payments/{paymentKey}/cancel`) and look it up (`GET /v1/payments/{paymentKey}`).
 * Basic auth with the secret key; every POST carries an Idempotency-Key so a retried request after
 * a timeout cannot charge or refund twice.
 */
export class TossPaymentProvider implements PaymentProvider {
  readonly name = "toss";
  readonly instant = false;

  constructor(private readonly options: { baseUrl: string; secretKey: string; timeoutMs: number }) {}

  async confirm(input: {
    paymentKey: string;
    orderId: string;
    amount: number;
    idempotencyKey: string;
  }): Promise<ProviderExchange> {
    const body = { paymentKey: input.paymentKey, orderId: input.orderId, amount: input.amount };
    const exchange = await this.call("POST", "/v1/payments/confirm", body, input.idempotencyKey);
    const error = exchange.response as TossError | null;
    // Confirmed before (by an earlier attempt whose answer we lost): ask what happened.
    if (exchange.httpStatus !== 200 && error?.code === "ALREADY_PROCESSED_PAYMENT") {
      const lookup = await this.lookup(input.paymentKey);
      return { ...lookup, request: body, durationMs: exchange.durationMs + lookup.durationMs };
    }
    return exchange;
  }

  async cancel(input: {
    paymentKey: string;
    reason: string;
    idempotencyKey: string;
  }): Promise<ProviderExchange> {
    const path = `/v1/payments/${encodeURIComponent(input.paymentKey)}/cancel`;
    const exchange = await this.call("POST", path, { cancelReason: input.reason }, input.idempotencyKey);
    const error = exchange.response as TossError | null;
    if (exchange.httpStatus !== 200 && error?.code === "ALREADY_CANCELED_PAYMENT") {
      return {
        ...exchange,
        outcome: { kind: "APPROVED", method: null, providerStatus: "CANCELED", at: new Date() },
      };
    }
    return exchange;
  }

  lookup(paymentKey: string): Promise<ProviderExchange> {
    return this.call("GET", `/v1/payments/${encodeURIComponent(paymentKey)}`, undefined, undefined);
  }

  private async call(
    method: "GET" | "POST",
    path: string,
    body: Record<string, unknown> | undefined,
    idempotencyKey: string | undefined,
  ): Promise<ProviderExchange> {
    const started = performance.now();
    const request = { method, path, ...(body ? { body } : {}) };
    const elapsed = () => Math.round(performance.now() - started);
    let response: Response;
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      response = await fetch(new URL(path, this.options.baseUrl), {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`${this.options.secretKey}:`).toString("base64")}`,
          "content-type": "application/json",
          ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal,
      });
    } catch {
      const reason = signal.aborted ? "timeout" : "network error";
      return {
        outcome: { kind: "UNKNOWN", reason },
        httpStatus: null,
        request,
        response: null,
        durationMs: elapsed(),
      };
    }
    const text = await response.text().catch(() => "");
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { raw: text.slice(0, 500) };
    }
    return {
      outcome: outcomeOf(response.status, parsed),
      httpStatus: response.status,
      request,
      response: parsed,
      durationMs: elapsed(),
    };
  }
}

function outcomeOf(status: number, body: unknown): ProviderOutcome {
  if (status === 200) {
    const payment = (body ?? {}) as TossPayment;
    switch (payment.status) {
      case "DONE":
      case "CANCELED":
      case "PARTIAL_CANCELED":
        return {
          kind: "APPROVED",
          method: METHODS[payment.method ?? ""] ?? null,
          providerStatus: payment.status,
          at: payment.approvedAt ? new Date(payment.approvedAt) : new Date(),
        };
      case "ABORTED":
      case "EXPIRED":
        return {
          kind: "DECLINED",
          code: payment.status,
          message: `the payment is ${payment.status.toLowerCase()}`,
        };
      default:
        return { kind: "UNKNOWN", reason: `provider status ${String(payment.status)}` };
    }
  }
  const error = (body ?? {}) as TossError;
  const code = error.code ?? `HTTP_${status}`;
  if (status >= 500 || status === 429 || UNKNOWN_CODES.has(code)) return { kind: "UNKNOWN", reason: code };
  if (status === 404 || code === "NOT_FOUND_PAYMENT") return { kind: "NOT_FOUND" };
  return { kind: "DECLINED", code, message: (error.message ?? "declined by the provider").slice(0, 500) };
}
