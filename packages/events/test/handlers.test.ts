import {
  createEvent,
  EventHandlers,
  InvalidEventError,
  PaymentConfirmed,
  PaymentRefunded,
} from "../src/index.ts";

const confirmed = createEvent(PaymentConfirmed, "5b0e1f7a-8a53-4d7e-9a3b-0c7f6f2d4e11", {
  paymentId: "5b0e1f7a-8a53-4d7e-9a3b-0c7f6f2d4e11",
  orderId: "ord_1",
  userId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  kind: "RESERVATION",
  referenceId: "6f1c2d1e-9b1a-4c55-8f0e-2b7a3c4d5e6f",
  amount: 50_000,
  currency: "KRW",
  method: "CARD",
  confirmedAt: "2026-12-03T01:00:00.000Z",
});

describe("EventHandlers", () => {
  it("dispatches a validated event to the handler of its type", async () => {
    const seen: string[] = [];
    const handlers = new EventHandlers().on(PaymentConfirmed, async (event) => {
      seen.push(`${event.payload.orderId}:${event.payload.amount}`);
      return "applied";
    });
    await expect(handlers.handle(JSON.parse(JSON.stringify(confirmed)))).resolves.toBe("applied");
    expect(seen).toEqual(["ord_1:50000"]);
  });

  it("rejects an unknown type and a malformed payload as invalid (dead-lettered, not retried)", async () => {
    const handlers = new EventHandlers().on(PaymentConfirmed, async () => "applied");
    await expect(handlers.handle({ ...confirmed, type: "payment.exploded" })).rejects.toBeInstanceOf(
      InvalidEventError,
    );
    await expect(
      handlers.handle({ ...confirmed, payload: { ...confirmed.payload, amount: -5 } }),
    ).rejects.toBeInstanceOf(InvalidEventError);
    await expect(handlers.handle(null)).rejects.toBeInstanceOf(InvalidEventError);
  });

  it("acknowledges ignored types but still validates them", async () => {
    const handlers = new EventHandlers().ignore(PaymentConfirmed);
    await expect(handlers.handle(confirmed)).resolves.toBe("ignored");
    await expect(handlers.handle({ ...confirmed, version: 9 })).rejects.toBeInstanceOf(InvalidEventError);
  });

  it("include merges another consumer's table", async () => {
    const { method: _method, confirmedAt: _at, ...ref } = confirmed.payload;
    const refunded = createEvent(PaymentRefunded, ref.paymentId, {
      ...ref,
      reason: "customer asked",
      refundedAt: "2026-12-03T02:00:00.000Z",
    });
    const refunds = new EventHandlers().on(PaymentRefunded, async () => "refunded");
    const handlers = new EventHandlers().on(PaymentConfirmed, async () => "applied").include(refunds);
    await expect(handlers.handle(confirmed)).resolves.toBe("applied");
    await expect(handlers.handle(refunded)).resolves.toBe("refunded");
    await expect(
      new EventHandlers().on(PaymentConfirmed, async () => "applied").handle(refunded),
    ).rejects.toBeInstanceOf(InvalidEventError);
  });
});
