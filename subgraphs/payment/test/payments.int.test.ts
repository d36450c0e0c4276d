import { randomUUID } from "node:crypto";
import { firstErrorCode } from "@urr/testkit";
import { ADMIN, fan, type PaymentHarness, startPaymentHarness } from "./support/payment-harness.ts";

const PREPARE = `mutation($r: ID!) { preparePayment(kind: RESERVATION, referenceId: $r) { id orderId amount currency status orderName } }`;
const CONFIRM = `mutation($o: String!, $k: String!, $a: Int!) {
  confirmPayment(orderId: $o, paymentKey: $k, amount: $a) { outcome failure { code message } payment { id status method paymentKey } }
}`;
const CANCEL = `mutation($k: String!, $r: String!) { cancelPayment(paymentKey: $k, reason: $r) { status refundReason refundedAt } }`;

type Prepared = { preparePayment: { id: string; orderId: string; amount: number; status: string } };
type Confirmed = {
  confirmPayment: {
    outcome: string;
    failure: { code: string } | null;
    payment: { id: string; status: string; method: string };
  };
};

describe("payment subgraph (PostgreSQL, Toss played by a local HTTP server)", () => {
  let h: PaymentHarness;
  beforeAll(async () => {
    h = await startPaymentHarness();
  });
  afterAll(() => h.close());

  async function prepared(user = fan(1), amount = 200_000) {
    const reservationId = h.ticket.add(user.userId, amount);
    const res = await h.call<Prepared>(PREPARE, { r: reservationId }, user);
    expect(res.errors).toBeUndefined();
    return { reservationId, ...(res.data?.preparePayment ?? { id: "", orderId: "", amount: 0, status: "" }) };
  }
  const outbox = (type: string, paymentId: string) =>
    h.count("SELECT count(*) AS n FROM outbox_events WHERE event_type = $1 AND message_key = $2", [
      type,
      paymentId,
    ]);

  describe("preparePayment", () => {
    it("takes the amount from the reservation's owner and answers again with the same pending payment", async () => {
      const payment = await prepared(fan(1), 154_000);
      expect(payment).toMatchObject({ amount: 154_000, status: "PENDING" });
      expect(payment.orderId).toMatch(/^URR-[0-9A-Z]{20}$/);
      const again = await h.call<Prepared>(PREPARE, { r: payment.reservationId }, fan(1));
      expect(again.data?.preparePayment.orderId).toBe(payment.orderId);
    });

    it("refuses someone else's reservation, unknown ones, finished ones and lapsed holds", async () => {
      const other = h.ticket.add(fan(2).userId);
      expect(firstErrorCode(await h.call(PREPARE, { r: other }, fan(1)))).toBe("FORBIDDEN");
      expect(
        firstErrorCode(await h.call(PREPARE, { r: "7b0c1c9e-1111-4a4a-8b8b-000000000000" }, fan(1))),
      ).toBe("NOT_FOUND");
      expect(firstErrorCode(await h.call(PREPARE, { r: "not-a-uuid" }, fan(1)))).toBe("BAD_USER_INPUT");
      const expired = h.ticket.add(fan(1).userId, 1000, { status: "EXPIRED" });
      expect(firstErrorCode(await h.call(PREPARE, { r: expired }, fan(1)))).toBe("CONFLICT");
      const lapsed = h.ticket.add(fan(1).userId, 1000, { holdIntact: false, holdProblem: "SEAT_LOST" });
      const res = await h.call(PREPARE, { r: lapsed }, fan(1));
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "SEAT_LOST" });
      expect(firstErrorCode(await h.call(PREPARE, { r: lapsed }))).toBe("UNAUTHENTICATED");
      expect(
        await h.count("SELECT count(*) AS n FROM payments WHERE reference_id = ANY($1::uuid[])", [
          [other, expired, lapsed],
        ]),
      ).toBe(0);
    });

    it("answers SERVICE_UNAVAILABLE while ticket is down, then opens the circuit instead of piling on", async () => {
      const reservation = h.ticket.add(fan(1).userId);
      h.ticket.down = true;
      try {
        const before = h.ticket.calls;
        expect(firstErrorCode(await h.call(PREPARE, { r: reservation }, fan(1)))).toBe("SERVICE_UNAVAILABLE");
        expect(h.ticket.calls - before).toBe(3); // one try and two retries
        // Five failed checks in a row open the circuit.
        for (let i = 0; i < 4; i++) {
          expect(firstErrorCode(await h.call(PREPARE, { r: reservation }, fan(1)))).toBe(
            "SERVICE_UNAVAILABLE",
          );
        }
        const open = h.ticket.calls;
        expect(firstErrorCode(await h.call(PREPARE, { r: reservation }, fan(1)))).toBe("SERVICE_UNAVAILABLE");
        expect(h.ticket.calls).toBe(open); // the circuit is open: ticket was not called
      } finally {
        h.ticket.down = false;
      }
      // After the reset time one trial goes through; ticket is back, so the circuit closes.
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect((await h.call(PREPARE, { r: reservation }, fan(1))).errors).toBeUndefined();
    });

    it("refuses with a coded error, and records nothing, when ticket's answer breaks the contract", async () => {
      const reservation = h.ticket.add(fan(1).userId, 1_000);
      const { totalAmount, ...withoutAmount } = h.ticket.reservations.get(reservation) ?? {};
      // An amount as text and one field missing: a cast would have charged "1000" or undefined.
      h.ticket.rawAnswers.set(reservation, {
        ...withoutAmount,
        totalAmount: String(totalAmount),
        holdIntact: undefined,
      });
      const res = await h.call(PREPARE, { r: reservation }, fan(1));
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        reason: "TICKET_ANSWER_INVALID",
      });
      expect(
        await h.count("SELECT count(*) AS n FROM payments WHERE reference_id = $1::uuid", [reservation]),
      ).toBe(0);
      h.ticket.rawAnswers.delete(reservation);
      expect((await h.call(PREPARE, { r: reservation }, fan(1))).errors).toBeUndefined();
    });

    it("asks ticket's transfer claim route for TRANSFER (the marketplace: test/backbone/transfer-payment): unknown → NOT_FOUND", async () => {
      const res = await h.call(
        `mutation($r: ID!) { preparePayment(kind: TRANSFER, referenceId: $r) { id } }`,
        { r: h.ticket.add(fan(1).userId) },
        fan(1),
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", entity: "Transfer" });
    });
  });

  describe("memberships", () => {
    const PREPARE_MEMBERSHIP = `mutation($r: ID!) { preparePayment(kind: MEMBERSHIP, referenceId: $r) { id orderId amount orderName status } }`;

    it("prices a membership order as ticket says, and refuses someone else's, unknown and paid orders", async () => {
      const order = h.ticket.addMembershipOrder(fan(1).userId, 33_000, { purpose: "RENEWAL" });
      const res = await h.call<{ preparePayment: { amount: number; orderName: string; status: string } }>(
        PREPARE_MEMBERSHIP,
        { r: order },
        fan(1),
      );
      expect(res.data?.preparePayment).toMatchObject({
        amount: 33_000,
        orderName: "Fan club Aurora Lane renewal",
        status: "PENDING",
      });
      expect(firstErrorCode(await h.call(PREPARE_MEMBERSHIP, { r: order }, fan(2)))).toBe("FORBIDDEN");
      expect(
        firstErrorCode(
          await h.call(PREPARE_MEMBERSHIP, { r: "7b0c1c9e-1111-4a4a-8b8b-000000000000" }, fan(1)),
        ),
      ).toBe("NOT_FOUND");
      const paid = h.ticket.addMembershipOrder(fan(1).userId, 30_000, {
        status: "PAID",
        paymentId: randomUUID(),
      });
      expect((await h.call(PREPARE_MEMBERSHIP, { r: paid }, fan(1))).errors?.[0]?.extensions).toMatchObject({
        code: "CONFLICT",
        reason: "MEMBERSHIP_ORDER_PAID",
      });
      expect(
        await h.count("SELECT count(*) AS n FROM payments WHERE reference_id = ANY($1::uuid[])", [[paid]]),
      ).toBe(0);
    });

    it("confirms a membership payment and refuses to refund it (ticket keeps no refund of a term)", async () => {
      const order = h.ticket.addMembershipOrder(fan(1).userId, 30_000);
      const prepared = await h.call<Prepared>(PREPARE_MEMBERSHIP, { r: order }, fan(1));
      const p = prepared.data?.preparePayment;
      if (!p) throw new Error(JSON.stringify(prepared.errors));
      const key = `pk-membership-${p.id}`;
      const confirmed = await h.call<Confirmed>(CONFIRM, { o: p.orderId, k: key, a: p.amount }, fan(1));
      expect(confirmed.data?.confirmPayment.outcome).toBe("CONFIRMED");
      expect(await outbox("payment.confirmed", p.id)).toBe(1);
      const refused = await h.call(CANCEL, { k: key, r: "changed my mind" }, ADMIN);
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: "CONFLICT",
        reason: "MEMBERSHIP_NOT_REFUNDABLE",
      });
      expect(h.toss.refunds.get(key) ?? 0).toBe(0);
      expect(await outbox("payment.refunded", p.id)).toBe(0);
    });
  });

  describe("confirmPayment", () => {
    it("confirms, emits PaymentConfirmed through the outbox once, and a second confirm returns the first result", async () => {
      const p = await prepared();
      const first = await h.call<Confirmed>(CONFIRM, { o: p.orderId, k: "pk-happy", a: p.amount }, fan(1));
      expect(first.data?.confirmPayment).toMatchObject({
        outcome: "CONFIRMED",
        failure: null,
        payment: { status: "CONFIRMED", method: "CARD" },
      });
      const second = await h.call<Confirmed>(CONFIRM, { o: p.orderId, k: "pk-happy", a: p.amount }, fan(1));
      expect(second.data?.confirmPayment.outcome).toBe("CONFIRMED");
      expect(h.toss.confirmCalls.filter((c) => c.paymentKey === "pk-happy")).toHaveLength(1);
      expect(h.toss.charges.get("pk-happy")).toBe(1);
      expect(await outbox("payment.confirmed", p.id)).toBe(1);
      expect(await h.count("SELECT count(*) AS n FROM payment_logs WHERE payment_id = $1", [p.id])).toBe(1);
      // The reservation cannot be paid twice.
      const again = await h.call(PREPARE, { r: p.reservationId }, fan(1));
      expect(again.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "ALREADY_PAID" });
    });

    it("a wrong amount is BAD_USER_INPUT and nothing is charged; wrong owner FORBIDDEN; unknown order NOT_FOUND", async () => {
      const p = await prepared();
      const requests = h.toss.requests.length;
      const wrong = await h.call(CONFIRM, { o: p.orderId, k: "pk-amount", a: p.amount - 1 }, fan(1));
      expect(wrong.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "amount",
        reason: "AMOUNT_MISMATCH",
      });
      expect(
        firstErrorCode(await h.call(CONFIRM, { o: p.orderId, k: "pk-amount", a: p.amount }, fan(2))),
      ).toBe("FORBIDDEN");
      expect(
        firstErrorCode(await h.call(CONFIRM, { o: "URR-00000000000000000000", k: "pk-x", a: 1 }, fan(1))),
      ).toBe("NOT_FOUND");
      expect(
        firstErrorCode(await h.call(CONFIRM, { o: p.orderId, k: "has space", a: p.amount }, fan(1))),
      ).toBe("BAD_USER_INPUT");
      expect(h.toss.requests.length).toBe(requests);
      expect(
        await h.count(
          "SELECT count(*) AS n FROM payments WHERE id = $1 AND status = 'PENDING' AND payment_key IS NULL",
          [p.id],
        ),
      ).toBe(1);
    });

    it("a card decline is a typed result the client can show; repeating it does not ask the provider again", async () => {
      const p = await prepared();
      const res = await h.call<Confirmed>(CONFIRM, { o: p.orderId, k: "decline-card", a: p.amount }, fan(1));
      expect(res.errors).toBeUndefined();
      expect(res.data?.confirmPayment).toMatchObject({
        outcome: "DECLINED",
        failure: { code: "REJECT_CARD_PAYMENT" },
        payment: { status: "FAILED" },
      });
      const requests = h.toss.requests.length;
      const again = await h.call<Confirmed>(
        CONFIRM,
        { o: p.orderId, k: "decline-card", a: p.amount },
        fan(1),
      );
      expect(again.data?.confirmPayment.outcome).toBe("DECLINED");
      expect(h.toss.requests.length).toBe(requests);
      expect(await outbox("payment.confirmed", p.id)).toBe(0);
      // A failed payment makes way for a new one.
      const retry = await h.call<Prepared>(PREPARE, { r: p.reservationId }, fan(1));
      expect(retry.data?.preparePayment.orderId).not.toBe(p.orderId);
    });

    it("100 concurrent confirmations of one order, across two replicas, charge the card once", async () => {
      const replica = await h.startReplica();
      const p = await prepared();
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          i % 2 === 0
            ? h
                .call<Confirmed>(CONFIRM, { o: p.orderId, k: "pk-stampede", a: p.amount }, fan(1))
                .then((r) => r.data?.confirmPayment.outcome)
            : replica.payments
                .confirm(fan(1), { orderId: p.orderId, paymentKey: "pk-stampede", amount: p.amount })
                .then((r) => r.outcome),
        ),
      );
      expect(new Set(results)).toEqual(new Set(["CONFIRMED"]));
      // The fake charges every confirmation it receives (it does not dedupe keys): one call, one charge.
      expect(
        h.toss.confirmCalls.filter((c) => c.orderId === p.orderId || c.paymentKey === "pk-stampede"),
      ).toEqual([
        {
          paymentKey: "pk-stampede",
          orderId: p.orderId,
          amount: p.amount,
          idempotencyKey: `confirm-${p.id}`,
        },
      ]);
      expect(h.toss.charges.get("pk-stampede")).toBe(1);
      expect(await outbox("payment.confirmed", p.id)).toBe(1);
    });

    it("a provider timeout leaves the payment VERIFYING, never double-charged; the reconciler settles it", async () => {
      const p = await prepared();
      const res = await h.call<Confirmed>(CONFIRM, { o: p.orderId, k: "slow-timeout", a: p.amount }, fan(1));
      expect(res.data?.confirmPayment).toMatchObject({
        outcome: "VERIFYING",
        payment: { status: "PENDING" },
      });
      expect(await outbox("payment.confirmed", p.id)).toBe(0);
      // The money did move at the provider. Once the claim is stale, reconciliation asks and settles.
      await h.sql.query("UPDATE payments SET confirming_since = now() - interval '1 hour' WHERE id = $1", [
        p.id,
      ]);
      const report = await h.call<{ reconcilePayments: { orderId: string; action: string }[] }>(
        "mutation { reconcilePayments { orderId finding action } }",
        {},
        ADMIN,
      );
      expect(report.data?.reconcilePayments).toContainEqual(
        expect.objectContaining({ orderId: p.orderId, action: "provider says APPROVED: payment CONFIRMED" }),
      );
      expect(h.toss.confirmCalls.filter((c) => c.paymentKey === "slow-timeout")).toHaveLength(1);
      expect(h.toss.charges.get("slow-timeout")).toBe(1);
      expect(await outbox("payment.confirmed", p.id)).toBe(1);
      const again = await h.call<Confirmed>(
        CONFIRM,
        { o: p.orderId, k: "slow-timeout", a: p.amount },
        fan(1),
      );
      expect(again.data?.confirmPayment.outcome).toBe("CONFIRMED");
      expect(firstErrorCode(await h.call("mutation { reconcilePayments { orderId } }", {}, fan(1)))).toBe(
        "FORBIDDEN",
      );
    });
  });

  describe("cancelPayment", () => {
    it("refunds a confirmed payment once and announces it; others may not; the log stays append-only", async () => {
      const p = await prepared();
      await h.call(CONFIRM, { o: p.orderId, k: "pk-cancel", a: p.amount }, fan(1));
      expect(firstErrorCode(await h.call(CANCEL, { k: "pk-cancel", r: "mine now" }, fan(2)))).toBe(
        "FORBIDDEN",
      );
      expect(firstErrorCode(await h.call(CANCEL, { k: "pk-cancel", r: "   " }, fan(1)))).toBe(
        "BAD_USER_INPUT",
      );
      const [a, b] = await Promise.all([
        h.call(CANCEL, { k: "pk-cancel", r: "changed my mind" }, fan(1)),
        h.call(CANCEL, { k: "pk-cancel", r: "changed my mind" }, fan(1)),
      ]);
      expect(a.data).toEqual({
        cancelPayment: expect.objectContaining({ status: "REFUNDED", refundReason: "changed my mind" }),
      });
      expect(b.data).toEqual(a.data);
      expect(h.toss.refunds.get("pk-cancel")).toBe(1);
      expect(await outbox("payment.refunded", p.id)).toBe(1);
      expect(firstErrorCode(await h.call(CANCEL, { k: "pk-unknown", r: "x" }, fan(1)))).toBe("NOT_FOUND");
      await expect(
        h.sql.query("UPDATE payment_logs SET outcome = 'APPROVED' WHERE payment_id = $1", [p.id]),
      ).rejects.toThrow(/append-only/);
    });

    it("myPayments and payment(orderId) show a fan their own payments only", async () => {
      const p = await prepared(fan(7));
      const mine = await h.call<{ myPayments: { orderId: string }[] }>(
        "{ myPayments { orderId amount status } }",
        {},
        fan(7),
      );
      expect(mine.data?.myPayments.map((x) => x.orderId)).toEqual([p.orderId]);
      const query = `query($o: String!) { payment(orderId: $o) { orderId } }`;
      expect(firstErrorCode(await h.call(query, { o: p.orderId }, fan(8)))).toBe("FORBIDDEN");
      expect((await h.call(query, { o: p.orderId }, ADMIN)).data).toEqual({
        payment: { orderId: p.orderId },
      });
    });
  });
});
