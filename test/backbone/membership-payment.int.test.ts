import { freePort } from "@urr/testkit";
import {
  ADMIN,
  type PaymentHarness,
  SERVICE_SECRET,
  startPaymentHarness,
} from "../../subgraphs/payment/test/support/payment-harness.ts";
import { JOIN, type Joined } from "../../subgraphs/ticket/test/support/membership-fixtures.ts";
import {
  fan,
  startTicketHarness,
  type TicketHarness,
} from "../../subgraphs/ticket/test/support/ticket-harness.ts";

/**
 * Paying for a fan club across the real subgraphs: ticket and payment on PostgreSQL, payment asking
 * ticket's membership-order route with a service token, payment-events relayed to ticket as signed
 * HTTP (the handlers Kafka feeds).
 */
const SECRET = "membership-test-event-delivery-secret-0123456789";
let ticket: TicketHarness;
let payment: PaymentHarness;

beforeAll(async () => {
  const [ticketPort, paymentPort] = [await freePort(), await freePort()];
  const backbone = { EVENT_DELIVERY_SECRET: SECRET, OUTBOX_RELAY_INTERVAL_MS: "50" };
  [ticket, payment] = await Promise.all([
    startTicketHarness({ ...backbone, PORT: String(ticketPort), INTERNAL_API_SECRET: SERVICE_SECRET }),
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

const PREPARE = `mutation($r: ID!) { preparePayment(kind: MEMBERSHIP, referenceId: $r) { id orderId amount orderName } }`;
const CONFIRM = `mutation($o: String!, $k: String!, $a: Int!) { confirmPayment(orderId: $o, paymentKey: $k, amount: $a) { outcome } }`;
const CANCEL = `mutation($k: String!, $r: String!) { cancelPayment(paymentKey: $k, reason: $r) { status } }`;
type Prepared = { preparePayment: { id: string; orderId: string; amount: number; orderName: string } };

const membershipOf = (id: string) =>
  ticket.sql
    .query<{ status: string; points: number }>("SELECT status, points FROM memberships WHERE id = $1", [id])
    .then((rows) => rows[0]);

it("join → prepare → confirm: the membership is ACTIVE with 200 points; the paid order cannot be paid or refunded again", async () => {
  const artistId = await ticket.publishArtist({ membershipPrice: 33_000 });
  const joined = await ticket.call<Joined>(JOIN, { a: artistId }, fan(1));
  const membership = joined.data?.joinMembership;
  if (!membership?.openOrder) throw new Error(JSON.stringify(joined.errors));

  // Someone else cannot pay it; the owner is charged what ticket says the artist's club costs.
  const foreign = await payment.call(PREPARE, { r: membership.openOrder.id }, fan(2));
  expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "NOT_OWNER" });
  const prepared = await payment.call<Prepared>(PREPARE, { r: membership.openOrder.id }, fan(1));
  const order = prepared.data?.preparePayment;
  if (!order) throw new Error(JSON.stringify(prepared.errors));
  expect(order).toMatchObject({ amount: 33_000, orderName: expect.stringMatching(/^Fan club Artist /) });
  const key = `pk-membership-${order.id}`;
  const confirmed = await payment.call<{ confirmPayment: { outcome: string } }>(
    CONFIRM,
    { o: order.orderId, k: key, a: order.amount },
    fan(1),
  );
  expect(confirmed.data?.confirmPayment.outcome).toBe("CONFIRMED");

  expect(
    await eventually(
      () => membershipOf(membership.id),
      (m) => m?.status === "ACTIVE",
      "the membership to activate",
    ),
  ).toEqual({ status: "ACTIVE", points: 200 });
  expect(
    await ticket.count("SELECT count(*) AS n FROM membership_orders WHERE id = $1 AND status = 'PAID'", [
      membership.openOrder.id,
    ]),
  ).toBe(1);

  const again = await payment.call(PREPARE, { r: membership.openOrder.id }, fan(1));
  expect(again.errors?.[0]?.extensions?.code).toBe("CONFLICT");
  const refund = await payment.call(CANCEL, { k: key, r: "changed my mind" }, ADMIN);
  expect(refund.errors?.[0]?.extensions).toMatchObject({
    code: "CONFLICT",
    reason: "MEMBERSHIP_NOT_REFUNDABLE",
  });
  expect(await membershipOf(membership.id)).toEqual({ status: "ACTIVE", points: 200 });
});
