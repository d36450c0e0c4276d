import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { freePort } from "@urr/testkit";
import {
  ADMIN,
  type PaymentHarness,
  SERVICE_SECRET,
  startPaymentHarness,
} from "../../subgraphs/payment/test/support/payment-harness.ts";
import { seedMembership } from "../../subgraphs/ticket/test/support/membership-fixtures.ts";
import {
  fan,
  HOLD,
  type HoldData,
  startTicketHarness,
  type TicketHarness,
} from "../../subgraphs/ticket/test/support/ticket-harness.ts";
import { cancelEvent, list, ownedTicket } from "../../subgraphs/ticket/test/support/transfer-fixtures.ts";

/**
 * Buying a listed ticket across the real subgraphs: payment asks ticket's transfer claim route with
 * a service token (one buyer's payment window at a time), payment-events are relayed to ticket and
 * transfer-events back to payment as signed HTTP (the handlers Kafka feeds).
 */
const SECRET = "transfer-test-event-delivery-secret-0123456789";
let ticket: TicketHarness;
let payment: PaymentHarness;

beforeAll(async () => {
  const [ticketPort, paymentPort] = [await freePort(), await freePort()];
  const backbone = { EVENT_DELIVERY_SECRET: SECRET, OUTBOX_RELAY_INTERVAL_MS: "50" };
  [ticket, payment] = await Promise.all([
    startTicketHarness({
      ...backbone,
      PORT: String(ticketPort),
      INTERNAL_API_SECRET: SERVICE_SECRET,
      EVENT_SUBSCRIBERS: [
        `transfer-events=http://127.0.0.1:${paymentPort}/internal/events`,
        `reservation-events=http://127.0.0.1:${paymentPort}/internal/events`,
      ].join(","),
    }),
    startPaymentHarness({
      ...backbone,
      PORT: String(paymentPort),
      TICKET_INTERNAL_URL: `http://127.0.0.1:${ticketPort}`,
      EVENT_SUBSCRIBERS: `payment-events=http://127.0.0.1:${ticketPort}/internal/events`,
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([ticket?.close(), payment?.close()]);
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const userId = (viewer: Viewer) => (viewer as AuthenticatedViewer).userId;
const PREPARE = `mutation($r: ID!) { preparePayment(kind: TRANSFER, referenceId: $r) { id orderId amount orderName } }`;
const CONFIRM = `mutation($o: String!, $k: String!, $a: Int!) { confirmPayment(orderId: $o, paymentKey: $k, amount: $a) { outcome } }`;
const CANCEL = `mutation($k: String!, $r: String!) { cancelPayment(paymentKey: $k, reason: $r) { status } }`;
type Prepared = { preparePayment: { id: string; orderId: string; amount: number; orderName: string } };

async function prepareAndConfirm(buyer: Viewer, referenceId: string, kind = "TRANSFER") {
  const prepared = await payment.call<Prepared>(PREPARE.replace("TRANSFER", kind), { r: referenceId }, buyer);
  const order = prepared.data?.preparePayment;
  if (!order) throw new Error(JSON.stringify(prepared.errors));
  const key = `pk-transfer-${order.id}`;
  const confirmed = await payment.call<{ confirmPayment: { outcome: string } }>(
    CONFIRM,
    { o: order.orderId, k: key, a: order.amount },
    buyer,
  );
  return { order, key, outcome: confirmed.data?.confirmPayment.outcome };
}

const ticketOwner = async (ticketId: string) =>
  (await ticket.sql.query<{ user_id: string }>("SELECT user_id FROM tickets WHERE id = $1", [ticketId]))[0]
    ?.user_id;

it("two buyers prepare at once: one pays and gets the ticket, the other is refused before any charge; a bought transfer is not refunded", async () => {
  const owned = await ownedTicket(ticket, fan(1));
  const listing = await list(ticket, fan(1), owned.ticketId);
  const own = await payment.call(PREPARE, { r: listing.id }, fan(1));
  expect(own.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "OWN_LISTING" });

  const [a, b] = await Promise.all(
    [fan(2), fan(3)].map((buyer) => payment.call<Prepared>(PREPARE, { r: listing.id }, buyer)),
  );
  const results = [a, b];
  const won = results.findIndex((r) => r?.data?.preparePayment);
  expect(won).toBeGreaterThanOrEqual(0);
  const loser = results[1 - won];
  expect(loser?.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "TRANSFER_RESERVED" });
  const [buyer, other] = won === 0 ? [fan(2), fan(3)] : [fan(3), fan(2)];
  expect(await payment.count("SELECT count(*) AS n FROM payments WHERE user_id = $1", [userId(other)])).toBe(
    0,
  );
  expect(results[won]?.data?.preparePayment).toMatchObject({ amount: 110_000 });

  const { key, outcome } = await prepareAndConfirm(buyer, listing.id);
  expect(outcome).toBe("CONFIRMED");
  await eventually(
    () => ticketOwner(owned.ticketId),
    (owner) => owner === userId(buyer),
    "the ticket to change hands",
  );
  await eventually(
    () =>
      payment.count(
        "SELECT count(*) AS n FROM payments WHERE kind = 'TRANSFER' AND reference_id = $1 AND fulfilled_at IS NOT NULL",
        [listing.id],
      ),
    (n) => n === 1,
    "payment to learn the transfer completed",
  );
  const again = await payment.call(PREPARE, { r: listing.id }, other);
  expect(again.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "TRANSFER_COMPLETED" });
  const refund = await payment.call(CANCEL, { k: key, r: "changed my mind" }, ADMIN);
  expect(refund.errors?.[0]?.extensions).toMatchObject({
    code: "CONFLICT",
    reason: "TRANSFER_NOT_REFUNDABLE",
  });
});

it("the seller cancels once the buyer's window lapsed while the buyer pays: the payment is refunded automatically", async () => {
  const owned = await ownedTicket(ticket, fan(10));
  const listing = await list(ticket, fan(10), owned.ticketId);
  const prepared = await payment.call<Prepared>(PREPARE, { r: listing.id }, fan(11));
  const order = prepared.data?.preparePayment;
  if (!order) throw new Error(JSON.stringify(prepared.errors));
  await ticket.sql.query("UPDATE transfers SET reserved_until = now() - interval '1 second' WHERE id = $1", [
    listing.id,
  ]);
  expect((await ticket.app.transfers.cancel(fan(10), listing.id)).status).toBe("CANCELLED");
  const confirmed = await payment.call<{ confirmPayment: { outcome: string } }>(
    CONFIRM,
    { o: order.orderId, k: `pk-late-${order.id}`, a: order.amount },
    fan(11),
  );
  expect(confirmed.data?.confirmPayment.outcome).toBe("CONFIRMED");
  const refunded = await eventually(
    () =>
      payment.sql
        .query<{ status: string; refund_reason: string | null }>(
          "SELECT status, refund_reason FROM payments WHERE id = $1",
          [order.id],
        )
        .then((rows) => rows[0]),
    (p) => p?.status === "REFUNDED",
    "the late payment to be refunded",
  );
  expect(refunded).toEqual({ status: "REFUNDED", refund_reason: "TRANSFER_TRANSFER_CANCELLED" });
  expect(await ticketOwner(owned.ticketId)).toBe(userId(fan(10)));
});

const paymentOf = (id: string) =>
  payment.sql
    .query<{ status: string; refund_reason: string | null }>(
      "SELECT status, refund_reason FROM payments WHERE id = $1",
      [id],
    )
    .then((rows) => rows[0]);

it("a purchase whose ticket was sold on is not refunded alone; cancelling the event refunds the seller's purchase and the buyer's transfer once", async () => {
  const artistId = await ticket.publishArtist();
  const eventId = await ticket.publishEvent({ artistId });
  const [seat] = await ticket.seatEvent(eventId, 1, 2);
  const held = await ticket.call<HoldData>(HOLD, { e: eventId, s: [seat], k: `paid-${eventId}` }, fan(20));
  const reservationId = held.data?.holdSeats.id;
  if (!reservationId) throw new Error(JSON.stringify(held.errors));
  const purchase = await prepareAndConfirm(fan(20), reservationId, "RESERVATION");
  expect(purchase.outcome).toBe("CONFIRMED");
  await eventually(
    () => ticket.count("SELECT count(*) AS n FROM tickets WHERE reservation_id = $1", [reservationId]),
    (n) => n === 1,
    "the purchase's ticket",
  );
  const [t] = await ticket.sql.query<{ id: string }>("SELECT id FROM tickets WHERE reservation_id = $1", [
    reservationId,
  ]);
  await seedMembership(ticket, fan(20), artistId, {
    tier: "SILVER",
    points: 0,
    expiresAt: new Date(Date.now() + 86_400_000 * 300),
  });
  const listing = await list(ticket, fan(20), t?.id ?? "");
  const listed = await payment.call(CANCEL, { k: purchase.key, r: "refund please" }, fan(20));
  expect(listed.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "TICKET_LISTED" });
  const bought = await prepareAndConfirm(fan(21), listing.id);
  await eventually(
    () => ticketOwner(t?.id ?? ""),
    (owner) => owner === userId(fan(21)),
    "the transfer",
  );
  const refusal = await payment.call(CANCEL, { k: purchase.key, r: "refund please" }, ADMIN);
  expect(refusal.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "TICKET_TRANSFERRED" });
  expect((await paymentOf(purchase.order.id))?.status).toBe("CONFIRMED");

  await cancelEvent(ticket, eventId);
  expect(
    await eventually(
      () => paymentOf(purchase.order.id),
      (p) => p?.status === "REFUNDED",
      "the purchase's refund",
    ),
  ).toEqual({ status: "REFUNDED", refund_reason: "RESERVATION_EVENT_CANCELLED" });
  expect(
    await eventually(
      () => paymentOf(bought.order.id),
      (p) => p?.status === "REFUNDED",
      "the transfer's refund",
    ),
  ).toEqual({ status: "REFUNDED", refund_reason: "TRANSFER_EVENT_CANCELLED" });
  // Asked again (a redelivery under a new id): nothing more is refunded.
  await cancelEvent(ticket, eventId);
  expect(
    await payment.count(
      "SELECT count(*) AS n FROM payment_logs WHERE payment_id = ANY($1) AND action = 'CANCEL'",
      [[purchase.order.id, bought.order.id]],
    ),
  ).toBe(2);
  await eventually(
    () =>
      ticket.sql
        .query<{ status: string }>("SELECT status FROM reservations WHERE id = $1", [reservationId])
        .then((rows) => rows[0]?.status),
    (status) => status === "REFUNDED",
    "ticket to apply the purchase's refund",
  );
});

it("a buyer whose window lapsed loses the listing to the next buyer: their pending payment is cancelled and can no longer be charged", async () => {
  const owned = await ownedTicket(ticket, fan(30));
  const listing = await list(ticket, fan(30), owned.ticketId);
  const late = (await payment.call<Prepared>(PREPARE, { r: listing.id }, fan(31))).data?.preparePayment;
  if (!late) throw new Error("the first buyer could not prepare");
  // Within the window the next buyer is refused; after it (and before any sweep) they may pay.
  const early = await payment.call(PREPARE, { r: listing.id }, fan(32));
  expect(early.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "TRANSFER_RESERVED" });
  await ticket.sql.query("UPDATE transfers SET reserved_until = now() - interval '1 second' WHERE id = $1", [
    listing.id,
  ]);
  const next = await prepareAndConfirm(fan(32), listing.id);
  expect(next.outcome).toBe("CONFIRMED");
  const refused = await payment.call(
    CONFIRM,
    { o: late.orderId, k: `pk-too-late-${late.id}`, a: late.amount },
    fan(31),
  );
  expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "PAYMENT_CANCELLED" });
  await eventually(
    () => ticketOwner(owned.ticketId),
    (owner) => owner === userId(fan(32)),
    "the transfer",
  );
  expect(
    await payment.count("SELECT count(*) AS n FROM payments WHERE user_id = $1 AND status = 'CONFIRMED'", [
      userId(fan(31)),
    ]),
  ).toBe(0);
});

it("a transfer payment ticket never answered: the reconciler sends it again and ticket re-announces the completion", async () => {
  const owned = await ownedTicket(ticket, fan(40));
  const listing = await list(ticket, fan(40), owned.ticketId);
  const bought = await prepareAndConfirm(fan(41), listing.id);
  const fulfilled = () =>
    payment.count("SELECT count(*) AS n FROM payments WHERE id = $1 AND fulfilled_at IS NOT NULL", [
      bought.order.id,
    ]);
  await eventually(fulfilled, (n) => n === 1, "the transfer to be fulfilled");
  // As if transfer.completed had been lost: unfulfilled, and older than the grace period.
  await payment.sql.query(
    "UPDATE payments SET fulfilled_at = NULL, confirmed_at = now() - interval '1 hour' WHERE id = $1",
    [bought.order.id],
  );
  const actions = await payment.app.reconciler.runOnce();
  expect(actions).toEqual(
    expect.arrayContaining([expect.objectContaining({ action: "PaymentConfirmed sent again" })]),
  );
  await eventually(fulfilled, (n) => n === 1, "the re-announced completion");
  expect(await ticketOwner(owned.ticketId)).toBe(userId(fan(41)));
  expect(
    await ticket.count(
      "SELECT count(*) AS n FROM outbox_events WHERE event_type = 'transfer.completed' AND message_key = $1",
      [listing.id],
    ),
  ).toBe(2);
});
