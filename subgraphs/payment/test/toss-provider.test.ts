import { TossPaymentProvider } from "../src/providers/toss-provider.ts";
import { FakeToss } from "./support/fake-toss.ts";

describe("Toss Payments adapter against a local provider", () => {
  // With Toss's own idempotency rules: how the adapter reads those answers is what is tested here.
  const toss = new FakeToss({ providerRules: true });
  let provider: TossPaymentProvider;
  let baseUrl: string;

  beforeAll(async () => {
    baseUrl = await toss.start();
    provider = new TossPaymentProvider({ baseUrl, secretKey: toss.secretKey, timeoutMs: 300 });
  });
  afterAll(() => toss.stop());

  const confirm = (paymentKey: string, orderId = `order-${paymentKey}`) =>
    provider.confirm({ paymentKey, orderId, amount: 50_000, idempotencyKey: `confirm-${paymentKey}` });

  it("confirms with Basic auth and an idempotency key, mapping Toss's Korean method name", async () => {
    const exchange = await confirm("pk-approve");
    expect(exchange.outcome).toMatchObject({ kind: "APPROVED", method: "CARD", providerStatus: "DONE" });
    expect(exchange.httpStatus).toBe(200);
    expect(toss.requests.at(-1)).toEqual({
      method: "POST",
      path: "/v1/payments/confirm",
      idempotencyKey: "confirm-pk-approve",
    });
    expect(toss.charges.get("pk-approve")).toBe(1);
  });

  it("turns a card decline into a typed DECLINED with the provider's code and message", async () => {
    const exchange = await confirm("decline-1");
    expect(exchange.outcome).toEqual({
      kind: "DECLINED",
      code: "REJECT_CARD_PAYMENT",
      message: expect.stringContaining("실패"),
    });
    expect(toss.charges.has("decline-1")).toBe(false);
  });

  it("reports a timeout as UNKNOWN (the money may have moved), never as a decline", async () => {
    const exchange = await confirm("slow-1");
    expect(exchange.outcome).toEqual({ kind: "UNKNOWN", reason: "timeout" });
    expect(exchange.httpStatus).toBeNull();
    // It did charge: a lookup tells the truth, and a retry with the same key charges nothing more.
    expect((await provider.lookup("slow-1")).outcome.kind).toBe("APPROVED");
    expect((await confirm("slow-1")).outcome.kind).toBe("APPROVED");
    expect(toss.charges.get("slow-1")).toBe(1);
  });

  it("answers a duplicate confirmation without an idempotency replay by looking the payment up", async () => {
    await confirm("pk-dup");
    const again = await provider.confirm({
      paymentKey: "pk-dup",
      orderId: "order-pk-dup",
      amount: 50_000,
      idempotencyKey: "another-key",
    });
    expect(again.outcome.kind).toBe("APPROVED");
    expect(toss.charges.get("pk-dup")).toBe(1);
  });

  it("treats provider errors as UNKNOWN and an unknown payment as NOT_FOUND", async () => {
    expect((await confirm("flaky-1")).outcome).toEqual({ kind: "UNKNOWN", reason: "PROVIDER_ERROR" });
    expect((await provider.lookup("never-seen")).outcome).toEqual({ kind: "NOT_FOUND" });
  });

  it("cancels once, and a second cancel is reported as done rather than failed", async () => {
    await confirm("pk-refund");
    const first = await provider.cancel({
      paymentKey: "pk-refund",
      reason: "changed mind",
      idempotencyKey: "r1",
    });
    const second = await provider.cancel({
      paymentKey: "pk-refund",
      reason: "changed mind",
      idempotencyKey: "r2",
    });
    expect(first.outcome).toMatchObject({ kind: "APPROVED", providerStatus: "CANCELED" });
    expect(second.outcome).toMatchObject({ kind: "APPROVED", providerStatus: "CANCELED" });
    expect(toss.refunds.get("pk-refund")).toBe(1);
  });

  it("a wrong secret key is a decline with the provider's code, and charges nothing", async () => {
    const wrong = new TossPaymentProvider({ baseUrl, secretKey: "test_sk_wrong", timeoutMs: 300 });
    const exchange = await wrong.confirm({
      paymentKey: "pk-wrong-key",
      orderId: "order-x",
      amount: 1,
      idempotencyKey: "w",
    });
    expect(exchange.outcome).toMatchObject({ kind: "DECLINED", code: "UNAUTHORIZED_KEY" });
    expect(toss.charges.has("pk-wrong-key")).toBe(false);
  });

  it("an unreachable provider is UNKNOWN", async () => {
    const gone = new TossPaymentProvider({
      baseUrl: "http://127.0.0.1:9",
      secretKey: toss.secretKey,
      timeoutMs: 300,
    });
    expect((await gone.lookup("x")).outcome).toEqual({ kind: "UNKNOWN", reason: "network error" });
  });
});
