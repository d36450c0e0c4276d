import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One confirmation request as the provider received it. */
export interface ConfirmCall {
  paymentKey: string;
  orderId: string;
  amount: number;
  idempotencyKey: string | undefined;
}

/**
 * A local HTTP server that plays Toss Payments for tests: Basic auth with the secret key, and
 * behaviour chosen by the paymentKey:
 *   decline…  → 400 REJECT_CARD_PAYMENT (nothing charged)
 *   slow…     → charges, then answers only after `slowMs` (the caller times out first)
 *   flaky…    → 500 PROVIDER_ERROR once, then normal
 *   anything else → charged and approved as a card payment.
 *
 * It records every call and enforces nothing by default: every approved confirmation is a charge
 * and every cancel a refund, however often the same key or order comes back. `confirmCalls`,
 * `charges` and `refunds` are what tests count, so a payment service that asks twice is caught here
 * instead of being covered for by the fake. `providerRules: true` adds what the real Toss does on
 * its side (an Idempotency-Key replays the first answer; ALREADY_PROCESSED_PAYMENT and
 * ALREADY_CANCELED_PAYMENT for a repeat without one), for the adapter's own tests of those answers.
 */
export class FakeToss {
  readonly charges = new Map<string, number>();
  readonly refunds = new Map<string, number>();
  readonly requests: { method: string; path: string; idempotencyKey: string | undefined }[] = [];
  readonly confirmCalls: ConfirmCall[] = [];
  readonly secretKey: string;
  private readonly providerRules: boolean;
  slowMs = 1_500;
  private readonly payments = new Map<
    string,
    { orderId: string; amount: number; status: "DONE" | "CANCELED"; approvedAt: string }
  >();
  private readonly replies = new Map<string, { status: number; body: unknown }>();
  private readonly flaked = new Set<string>();
  private server: Server | undefined;

  constructor(options: { secretKey?: string; providerRules?: boolean } = {}) {
    this.secretKey = options.secretKey ?? "test_sk_fake";
    this.providerRules = options.providerRules ?? false;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  totalCharges(): number {
    return [...this.charges.values()].reduce((a, b) => a + b, 0);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length
      ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>)
      : {};
    const path = req.url ?? "";
    const idempotencyKey = req.headers["idempotency-key"] as string | undefined;
    this.requests.push({ method: req.method ?? "", path, idempotencyKey });
    const send = (status: number, reply: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(reply));
    };
    if (req.headers.authorization !== `Basic ${Buffer.from(`${this.secretKey}:`).toString("base64")}`) {
      send(401, { code: "UNAUTHORIZED_KEY", message: "bad secret key" });
      return;
    }
    if (req.method === "POST" && path === "/v1/payments/confirm") {
      this.confirmCalls.push({
        paymentKey: String(body.paymentKey),
        orderId: String(body.orderId),
        amount: Number(body.amount),
        idempotencyKey,
      });
    }
    const replay = this.providerRules && idempotencyKey ? this.replies.get(idempotencyKey) : undefined;
    if (replay) {
      send(replay.status, replay.body);
      return;
    }
    const answer = this.answer(req.method ?? "", path, body);
    if (this.providerRules && idempotencyKey && answer.status < 500) this.replies.set(idempotencyKey, answer);
    if (answer.slow) await new Promise((resolve) => setTimeout(resolve, this.slowMs));
    if (!res.destroyed) send(answer.status, answer.body);
  }

  private answer(
    method: string,
    path: string,
    body: Record<string, unknown>,
  ): { status: number; body: unknown; slow?: boolean } {
    if (method === "POST" && path === "/v1/payments/confirm") {
      const paymentKey = String(body.paymentKey);
      if (paymentKey.startsWith("decline")) {
        return {
          status: 400,
          body: { code: "REJECT_CARD_PAYMENT", message: "한도초과 혹은 잔액부족으로 결제에 실패했습니다." },
        };
      }
      if (paymentKey.startsWith("flaky") && !this.flaked.has(paymentKey)) {
        this.flaked.add(paymentKey);
        return { status: 500, body: { code: "PROVIDER_ERROR", message: "try again" } };
      }
      if (this.providerRules && this.payments.has(paymentKey)) {
        return {
          status: 400,
          body: { code: "ALREADY_PROCESSED_PAYMENT", message: "이미 처리된 결제 입니다." },
        };
      }
      this.payments.set(paymentKey, {
        orderId: String(body.orderId),
        amount: Number(body.amount),
        status: "DONE",
        approvedAt: new Date().toISOString(),
      });
      this.charges.set(paymentKey, (this.charges.get(paymentKey) ?? 0) + 1);
      return { status: 200, body: this.paymentBody(paymentKey), slow: paymentKey.startsWith("slow") };
    }
    const cancel = /^\/v1\/payments\/([^/]+)\/cancel$/.exec(path);
    if (method === "POST" && cancel?.[1]) {
      const key = decodeURIComponent(cancel[1]);
      const payment = this.payments.get(key);
      if (!payment) return { status: 404, body: { code: "NOT_FOUND_PAYMENT", message: "no such payment" } };
      if (this.providerRules && payment.status === "CANCELED") {
        return {
          status: 400,
          body: { code: "ALREADY_CANCELED_PAYMENT", message: "이미 취소된 결제 입니다." },
        };
      }
      payment.status = "CANCELED";
      this.refunds.set(key, (this.refunds.get(key) ?? 0) + 1);
      return { status: 200, body: this.paymentBody(key) };
    }
    const lookup = /^\/v1\/payments\/([^/]+)$/.exec(path);
    if (method === "GET" && lookup?.[1]) {
      const key = decodeURIComponent(lookup[1]);
      return this.payments.has(key)
        ? { status: 200, body: this.paymentBody(key) }
        : { status: 404, body: { code: "NOT_FOUND_PAYMENT", message: "no such payment" } };
    }
    return { status: 404, body: { code: "NOT_FOUND", message: path } };
  }

  private paymentBody(paymentKey: string) {
    const payment = this.payments.get(paymentKey);
    return {
      paymentKey,
      orderId: payment?.orderId,
      status: payment?.status,
      method: "카드",
      totalAmount: payment?.amount,
      approvedAt: payment?.approvedAt,
    };
  }
}
