import { auditEventsInOutbox } from "@urr/audit";
import type { AuthenticatedViewer } from "@urr/auth-tokens";
import { firstErrorCode } from "@urr/testkit";
import { ADMIN, fan, type PaymentHarness, startPaymentHarness } from "./support/payment-harness.ts";

/**
 * Payment's admin actions are audited: an admin's cancel or refund of someone else's payment writes
 * one audit.recorded event in the transaction that records the decision (none when the decision
 * does not commit, none for the owner's own cancel), and an admin's reconcilePayments run writes one
 * RECONCILIATION entry listing its repairs. Non-admins are refused by the service.
 */
let h: PaymentHarness;
beforeAll(async () => {
  h = await startPaymentHarness();
});
afterAll(() => h.close());

const admin = ADMIN as AuthenticatedViewer;
const PREPARE = `mutation($r: ID!) { preparePayment(kind: RESERVATION, referenceId: $r) { id orderId amount } }`;
const CONFIRM = `mutation($o: String!, $k: String!, $a: Int!) { confirmPayment(orderId: $o, paymentKey: $k, amount: $a) { outcome } }`;
const CANCEL = `mutation($k: String!, $r: String!) { cancelPayment(paymentKey: $k, reason: $r) { status } }`;
const RECONCILE = "mutation { reconcilePayments { orderId finding action } }";

type Prepared = { preparePayment: { id: string; orderId: string; amount: number } };

async function prepared(user: AuthenticatedViewer) {
  const res = await h.call<Prepared>(PREPARE, { r: h.ticket.add(user.userId, 120_000) }, user);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.preparePayment;
}

/** A confirmed payment of `user` under `paymentKey`. */
async function paid(user: AuthenticatedViewer, paymentKey: string) {
  const p = await prepared(user);
  const res = await h.call<{ confirmPayment: { outcome: string } }>(
    CONFIRM,
    { o: p.orderId, k: paymentKey, a: p.amount },
    user,
  );
  expect(res.data?.confirmPayment.outcome).toBe("CONFIRMED");
  return p;
}

const reconciliations = async () =>
  (await auditEventsInOutbox(h.sql)).filter((e) => e.payload.entityType === "RECONCILIATION");

describe("payment admin actions are audited", () => {
  it("an admin's refund of a fan's payment: one entry with the reason; the owner's own refund: none", async () => {
    const p = await paid(fan(1), "pk-admin-refund");
    expect(firstErrorCode(await h.call(CANCEL, { k: "pk-admin-refund", r: "fraud" }, fan(2)))).toBe(
      "FORBIDDEN",
    );
    expect(await auditEventsInOutbox(h.sql, p.id)).toHaveLength(0);

    const res = await h.call<{ cancelPayment: { status: string } }>(
      CANCEL,
      { k: "pk-admin-refund", r: "duplicate order" },
      ADMIN,
    );
    expect(res.data?.cancelPayment.status).toBe("REFUNDED");
    // Again: already refunded, nothing decided, nothing recorded.
    await h.call(CANCEL, { k: "pk-admin-refund", r: "duplicate order" }, ADMIN);
    const entries = await auditEventsInOutbox(h.sql, p.id);
    expect(entries.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        source: "payment",
        actorId: admin.userId,
        action: "payment.refund",
        entityType: "PAYMENT",
        reason: "duplicate order",
        before: expect.objectContaining({ id: p.id, status: "CONFIRMED", refundRequestedAt: null }),
        after: expect.objectContaining({ status: "CONFIRMED", refundRequestedAt: expect.any(String) }),
      }),
    ]);
    expect(JSON.stringify(entries[0]?.payload)).not.toContain("pk-admin-refund");

    const own = await paid(fan(3), "pk-own-refund");
    await h.call(CANCEL, { k: "pk-own-refund", r: "changed my mind" }, fan(3));
    expect(await auditEventsInOutbox(h.sql, own.id)).toHaveLength(0);
  });

  it("an admin's cancel whose audit entry cannot be written leaves the payment as it was", async () => {
    const p = await paid(fan(4), "pk-unaudited");
    await h.sql.exec(
      `ALTER TABLE outbox_events ADD CONSTRAINT audit_refused CHECK (event_type <> 'audit.recorded') NOT VALID`,
    );
    try {
      const res = await h.call(CANCEL, { k: "pk-unaudited", r: "test" }, ADMIN);
      expect(firstErrorCode(res)).toBe("INTERNAL_SERVER_ERROR");
    } finally {
      await h.sql.exec("ALTER TABLE outbox_events DROP CONSTRAINT audit_refused");
    }
    const [row] = await h.sql.query<{ status: string; refund_requested_at: Date | null }>(
      "SELECT status, refund_requested_at FROM payments WHERE id = $1",
      [p.id],
    );
    expect(row).toEqual({ status: "CONFIRMED", refund_requested_at: null });
    expect(h.toss.refunds.get("pk-unaudited")).toBeUndefined();
    expect(await auditEventsInOutbox(h.sql, p.id)).toHaveLength(0);
  });

  it("an admin's cancel of a pending payment is payment.cancel", async () => {
    const p = await prepared(fan(5));
    // Cancelling needs the payment key, which a pending payment gets when its confirmation starts.
    await h.sql.query("UPDATE payments SET payment_key = 'pk-pending-cancel' WHERE id = $1", [p.id]);
    const res = await h.call<{ cancelPayment: { status: string } }>(
      CANCEL,
      { k: "pk-pending-cancel", r: "abandoned" },
      ADMIN,
    );
    expect(res.data?.cancelPayment.status).toBe("CANCELLED");
    const entries = await auditEventsInOutbox(h.sql, p.id);
    expect(entries.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        action: "payment.cancel",
        before: expect.objectContaining({ status: "PENDING" }),
        after: expect.objectContaining({ status: "CANCELLED" }),
      }),
    ]);
  });

  it("reconcilePayments: one RECONCILIATION entry per admin run with its repairs; fans are refused", async () => {
    const before = (await reconciliations()).length;
    expect(firstErrorCode(await h.call(RECONCILE, {}, fan(6)))).toBe("FORBIDDEN");
    expect(firstErrorCode(await h.call(RECONCILE, {}))).toBe("UNAUTHENTICATED");
    expect(await reconciliations()).toHaveLength(before);

    // A confirmation whose provider answer never came: the run settles it.
    const p = await prepared(fan(7));
    await h.call(CONFIRM, { o: p.orderId, k: "slow-audit", a: p.amount }, fan(7));
    await h.sql.query("UPDATE payments SET confirming_since = now() - interval '1 hour' WHERE id = $1", [
      p.id,
    ]);
    const report = await h.call<{ reconcilePayments: { orderId: string; action: string }[] }>(
      RECONCILE,
      {},
      ADMIN,
    );
    const repairs = report.data?.reconcilePayments ?? [];
    expect(repairs).toContainEqual(expect.objectContaining({ orderId: p.orderId }));
    const runs = (await reconciliations()).slice(before);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.payload).toMatchObject({
      action: "reconciliation.run",
      actorId: admin.userId,
      before: null,
      after: { completed: true, actions: repairs.map((r) => expect.objectContaining(r)) },
    });

    // A run that finds nothing is still the admin's run: one entry, no repairs.
    await h.call(RECONCILE, {}, ADMIN);
    const quiet = (await reconciliations()).slice(before + 1);
    expect(quiet.map((e) => e.payload.after)).toEqual([expect.objectContaining({ actions: [] })]);
  });
});
