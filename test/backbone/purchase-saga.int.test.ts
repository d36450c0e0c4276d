import { randomUUID } from "node:crypto";
import { createEvent, type EventEnvelope, PaymentConfirmed, PaymentRefunded } from "@urr/events";
import { freePort } from "@urr/testkit";
import { importSPKI, jwtVerify } from "jose";
import {
  type CatalogHarness,
  startCatalogHarness,
} from "../../subgraphs/catalog/test/support/catalog-harness.ts";
import {
  type PaymentHarness,
  SERVICE_SECRET,
  startPaymentHarness,
} from "../../subgraphs/payment/test/support/payment-harness.ts";
import {
  fan,
  HOLD,
  type HoldData,
  startTicketHarness,
  type TicketHarness,
} from "../../subgraphs/ticket/test/support/ticket-harness.ts";

/**
 * The purchase saga across real subgraphs: ticket, payment and catalog on PostgreSQL (and Redis for
 * seat locks), their outboxes relayed to each other as signed HTTP (the same handlers Kafka feeds).
 * Holds last 3 s here so expiry can be attacked.
 */
const SECRET = "saga-test-event-delivery-secret-0123456789abcdef";
let ticket: TicketHarness;
let payment: PaymentHarness;
let catalog: CatalogHarness;

beforeAll(async () => {
  const [ticketPort, paymentPort, catalogPort] = [await freePort(), await freePort(), await freePort()];
  const events = (port: number) => `http://127.0.0.1:${port}/internal/events`;
  const backbone = { EVENT_DELIVERY_SECRET: SECRET, OUTBOX_RELAY_INTERVAL_MS: "50" };
  [ticket, payment, catalog] = await Promise.all([
    startTicketHarness({
      ...backbone,
      PORT: String(ticketPort),
      HOLD_TTL_SECONDS: "3",
      INTERNAL_API_SECRET: SERVICE_SECRET,
      EVENT_SUBSCRIBERS: `reservation-events=${events(paymentPort)},reservation-events=${events(catalogPort)}`,
    }),
    startPaymentHarness({
      ...backbone,
      PORT: String(paymentPort),
      TICKET_INTERNAL_URL: `http://127.0.0.1:${ticketPort}`,
      EVENT_SUBSCRIBERS: `payment-events=${events(ticketPort)}`,
    }),
    startCatalogHarness({ ...backbone, PORT: String(catalogPort) }),
  ]);
});
afterAll(async () => {
  await Promise.all([ticket?.close(), payment?.close(), catalog?.close()]);
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

const PREPARE = `mutation($r: ID!) { preparePayment(kind: RESERVATION, referenceId: $r) { id orderId amount } }`;
const CONFIRM = `mutation($o: String!, $k: String!, $a: Int!) { confirmPayment(orderId: $o, paymentKey: $k, amount: $a) { outcome } }`;
const PAYMENT = `query($o: String!) { payment(orderId: $o) { status refundReason } }`;

async function hold(user: number, eventId: string, seatIds: string[]) {
  const res = await ticket.call<HoldData>(
    HOLD,
    { e: eventId, s: seatIds, k: `hold-${randomUUID()}` },
    fan(user),
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.holdSeats.id;
}

async function prepare(user: number, reservationId: string) {
  const res = await payment.call<{ preparePayment: { id: string; orderId: string; amount: number } }>(
    PREPARE,
    { r: reservationId },
    fan(user),
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.preparePayment;
}

const reservationStatus = (id: string) =>
  ticket.sql
    .query<{ status: string; payment_id: string | null }>(
      "SELECT status, payment_id FROM reservations WHERE id = $1",
      [id],
    )
    .then((r) => r[0]);

it("hold → prepare → confirm: seats sold, tickets with offline-verifiable codes, sales counted, payment fulfilled", async () => {
  const eventId = await ticket.publishEvent();
  const seats = (await ticket.seatEvent(eventId)).slice(0, 2);
  const reservationId = await hold(1, eventId, seats);
  const order = await prepare(1, reservationId);
  expect(order.amount).toBe(200_000);
  const confirmed = await payment.call<{ confirmPayment: { outcome: string } }>(
    CONFIRM,
    { o: order.orderId, k: `pk-${order.id}`, a: order.amount },
    fan(1),
  );
  expect(confirmed.data?.confirmPayment.outcome).toBe("CONFIRMED");

  await eventually(
    () => reservationStatus(reservationId),
    (r) => r?.status === "CONFIRMED",
    "the reservation to confirm",
  );
  expect(
    await ticket.count("SELECT count(*) AS n FROM seats WHERE id = ANY($1::uuid[]) AND status = 'RESERVED'", [
      seats,
    ]),
  ).toBe(2);
  const tickets = await ticket.call<{
    myTickets: { label: string; code: string; status: string }[];
    ticketVerificationKey: string;
  }>("{ myTickets { label code status } ticketVerificationKey }", {}, fan(1));
  expect(tickets.data?.myTickets).toHaveLength(2);
  // A scanner with only the public key accepts the code and reads the seat from it.
  const publicKey = await importSPKI(tickets.data?.ticketVerificationKey ?? "", "EdDSA");
  const first = tickets.data?.myTickets[0];
  const { payload } = await jwtVerify(first?.code ?? "", publicKey, { issuer: "urr-ticket" });
  expect(payload).toMatchObject({ eid: eventId, rid: reservationId, lbl: first?.label });
  // An altered code does not verify.
  const forged = (first?.code ?? "").replace(
    /\.[^.]+\./,
    `.${Buffer.from(JSON.stringify({ ...payload, lbl: "VIP-1" })).toString("base64url")}.`,
  );
  await expect(jwtVerify(forged, publicKey)).rejects.toThrow();

  await eventually(
    () =>
      catalog.count("SELECT coalesce(sum(tickets_sold), 0) AS n FROM event_sales WHERE event_id = $1", [
        eventId,
      ]),
    (n) => n === 2,
    "catalog's sales count",
  );
  await eventually(
    () =>
      payment.count("SELECT count(*) AS n FROM payments WHERE id = $1 AND fulfilled_at IS NOT NULL", [
        order.id,
      ]),
    (n) => n === 1,
    "payment to learn of the confirmation",
  );
});

it("a hold that lapsed and was re-taken by another fan is refunded to the first; the second keeps the seat", async () => {
  const eventId = await ticket.publishEvent();
  const [seat] = await ticket.seatEvent(eventId);
  const first = await hold(1, eventId, [seat ?? ""]);
  const order = await prepare(1, first);
  await new Promise((resolve) => setTimeout(resolve, 3_200));
  await ticket.app.sweeper.sweepOnce();
  const second = await hold(2, eventId, [seat ?? ""]);

  const res = await payment.call<{ confirmPayment: { outcome: string } }>(
    CONFIRM,
    { o: order.orderId, k: `pk-${order.id}`, a: order.amount },
    fan(1),
  );
  expect(res.data?.confirmPayment.outcome).toBe("CONFIRMED"); // the card was charged…
  const refunded = await eventually(
    () =>
      payment.call<{ payment: { status: string; refundReason: string } }>(
        PAYMENT,
        { o: order.orderId },
        fan(1),
      ),
    (r) => r.data?.payment.status === "REFUNDED",
    "the automatic refund",
  );
  expect(refunded.data?.payment.refundReason).toBe("RESERVATION_NOT_PENDING"); // …and given back, with the reason
  expect(payment.toss.refunds.get(`pk-${order.id}`)).toBe(1);
  expect(await reservationStatus(first)).toMatchObject({ status: "EXPIRED", payment_id: null });
  expect(await reservationStatus(second)).toMatchObject({ status: "PENDING" });
  const [row] = await ticket.sql.query<{ status: string; reservation_id: string }>(
    "SELECT status, reservation_id FROM seats WHERE id = $1",
    [seat],
  );
  expect(row).toEqual({ status: "HELD", reservation_id: second });
  expect(await ticket.count("SELECT count(*) AS n FROM tickets WHERE seat_id = $1", [seat])).toBe(0);
});

it("a payment confirmed after its hold expired (not yet swept) is refunded as EXPIRED", async () => {
  const eventId = await ticket.publishEvent();
  const [seat] = await ticket.seatEvent(eventId);
  const reservationId = await hold(3, eventId, [seat ?? ""]);
  const order = await prepare(3, reservationId);
  await new Promise((resolve) => setTimeout(resolve, 3_200));
  await payment.call(CONFIRM, { o: order.orderId, k: `pk-${order.id}`, a: order.amount }, fan(3));
  const refunded = await eventually(
    () =>
      payment.call<{ payment: { status: string; refundReason: string } }>(
        PAYMENT,
        { o: order.orderId },
        fan(3),
      ),
    (r) => r.data?.payment.status === "REFUNDED",
    "the automatic refund",
  );
  expect(refunded.data?.payment.refundReason).toBe("RESERVATION_EXPIRED");
  expect((await reservationStatus(reservationId))?.status).toBe("PENDING"); // the sweeper ends it
});

describe("payment-events delivered twice and out of order are applied once", () => {
  function paymentEvent(reservation: { id: string; amount: number }, user: number, paymentId = randomUUID()) {
    const payload = {
      paymentId,
      orderId: `URR-${paymentId.slice(0, 8)}`,
      userId: fan(user).authenticated ? (fan(user) as { userId: string }).userId : "",
      kind: "RESERVATION" as const,
      referenceId: reservation.id,
      amount: reservation.amount,
      currency: "KRW",
    };
    return {
      confirmed: createEvent(PaymentConfirmed, paymentId, {
        ...payload,
        method: "CARD",
        confirmedAt: new Date().toISOString(),
      }),
      refunded: createEvent(PaymentRefunded, paymentId, {
        ...payload,
        reason: "changed mind",
        refundedAt: new Date().toISOString(),
      }),
    };
  }
  const apply = (event: EventEnvelope) => ticket.app.paymentEvents.handle(JSON.parse(JSON.stringify(event)));
  const published = (type: string, key: string) =>
    ticket.count("SELECT count(*) AS n FROM outbox_events WHERE event_type = $1 AND message_key = $2", [
      type,
      key,
    ]);

  it("confirmation twice, and again under a new event id: one confirmation, one set of tickets", async () => {
    const eventId = await ticket.publishEvent();
    const seats = (await ticket.seatEvent(eventId)).slice(0, 3);
    const reservationId = await hold(4, eventId, seats);
    const events = paymentEvent({ id: reservationId, amount: 300_000 }, 4);
    expect(await apply(events.confirmed)).toBe("confirmed");
    expect(await apply(events.confirmed)).toBe("duplicate");
    expect(await apply({ ...events.confirmed, id: randomUUID() })).toBe("duplicate");
    expect(
      await ticket.count("SELECT count(*) AS n FROM tickets WHERE reservation_id = $1", [reservationId]),
    ).toBe(3);
    expect(await published("reservation.confirmed", reservationId)).toBe(1);

    // The refund, twice: inventory comes back once, tickets are revoked.
    expect(await apply(events.refunded)).toBe("refunded");
    expect(await apply(events.refunded)).toBe("duplicate");
    expect(await apply({ ...events.refunded, id: randomUUID() })).toBe("duplicate");
    expect(
      await ticket.count(
        "SELECT count(*) AS n FROM seats WHERE id = ANY($1::uuid[]) AND status = 'AVAILABLE'",
        [seats],
      ),
    ).toBe(3);
    expect(
      await ticket.count(
        "SELECT count(*) AS n FROM tickets WHERE reservation_id = $1 AND status = 'REVOKED'",
        [reservationId],
      ),
    ).toBe(3);
    expect(await published("reservation.refunded", reservationId)).toBe(1);
    expect((await reservationStatus(reservationId))?.status).toBe("REFUNDED");
  });

  it("a refund that overtakes its confirmation voids it: the seats are not sold for money given back", async () => {
    const eventId = await ticket.publishEvent();
    const [seat] = await ticket.seatEvent(eventId);
    const reservationId = await hold(5, eventId, [seat ?? ""]);
    const events = paymentEvent({ id: reservationId, amount: 100_000 }, 5);
    expect(await apply(events.refunded)).toBe("ignored");
    expect(await apply(events.confirmed)).toBe("rejected");
    expect((await reservationStatus(reservationId))?.status).toBe("PENDING");
    const [rejection] = await ticket.sql.query<{ envelope: { payload: { reason: string } } }>(
      "SELECT envelope FROM outbox_events WHERE event_type = 'reservation.confirmation-rejected' AND message_key = $1",
      [reservationId],
    );
    expect(rejection?.envelope.payload.reason).toBe("PAYMENT_REFUNDED");
  });

  it("a confirmation for the wrong amount or someone else's reservation is rejected, never applied", async () => {
    const eventId = await ticket.publishEvent();
    const [seat] = await ticket.seatEvent(eventId);
    const reservationId = await hold(6, eventId, [seat ?? ""]);
    expect(await apply(paymentEvent({ id: reservationId, amount: 1 }, 6).confirmed)).toBe("rejected");
    expect(await apply(paymentEvent({ id: reservationId, amount: 100_000 }, 7).confirmed)).toBe("rejected");
    expect(await apply(paymentEvent({ id: randomUUID(), amount: 100_000 }, 6).confirmed)).toBe("rejected");
    expect(
      await ticket.count("SELECT count(*) AS n FROM tickets WHERE reservation_id = $1", [reservationId]),
    ).toBe(0);
    await expect(
      apply({ ...paymentEvent({ id: reservationId, amount: 1 }, 6).confirmed, type: "payment.exploded" }),
    ).rejects.toThrow(/no handler/);
  });
});
