import { randomUUID } from "node:crypto";
import { freePort, type GraphQLResponse } from "@urr/testkit";
import {
  ADMIN as CATALOG_ADMIN,
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
 * An admin cancels an event while a fan pays for a seat of it, across real subgraphs: catalog's
 * cancellation reaches ticket over catalog-events, the fan's payment goes through payment (Toss
 * played by a local server) and payment-events, each relayed from its outbox as signed HTTP.
 *
 * The rule, whatever the interleaving: the cancellation takes effect in ticket when ticket applies
 * it, and ticket orders it against the payment's confirmation (the reservation's row lock).
 *  - The confirmation came first: the seat was sold before the cancellation took effect (it was
 *    confirmed before any pending hold of the event was ended), and the cancellation refunds it:
 *    ticket asks payment (`reservation.refund-requested`), payment refunds the charge once, and
 *    `payment.refunded` makes the reservation REFUNDED (reason RESERVATION_EVENT_CANCELLED), its
 *    seat AVAILABLE and catalog's count back to zero.
 *  - Otherwise no money is kept and no seat counts: the payment is refused before any charge
 *    (CONFLICT) or charged and refunded automatically (EVENT_CANCELLED), the reservation is
 *    CANCELLED, the seat AVAILABLE, its Redis lock gone, and catalog counts no sale.
 * A second fan's pending hold (the witness) is ended by the same cancellation every time; when it
 * ended is the moment the cancellation took effect in ticket.
 */
const SECRET = "cancel-vs-payment-event-delivery-secret-0123456789";
const ROUNDS = 20;
let ticket: TicketHarness;
let payment: PaymentHarness;
let catalog: CatalogHarness;
let artistId: string;

beforeAll(async () => {
  const [ticketPort, paymentPort, catalogPort] = [await freePort(), await freePort(), await freePort()];
  const events = (port: number) => `http://127.0.0.1:${port}/internal/events`;
  const backbone = { EVENT_DELIVERY_SECRET: SECRET, OUTBOX_RELAY_INTERVAL_MS: "20" };
  [ticket, payment, catalog] = await Promise.all([
    startTicketHarness({
      ...backbone,
      PORT: String(ticketPort),
      INTERNAL_API_SECRET: SERVICE_SECRET,
      EVENT_SUBSCRIBERS: `reservation-events=${events(paymentPort)},reservation-events=${events(catalogPort)}`,
    }),
    startPaymentHarness({
      ...backbone,
      PORT: String(paymentPort),
      TICKET_INTERNAL_URL: `http://127.0.0.1:${ticketPort}`,
      EVENT_SUBSCRIBERS: `payment-events=${events(ticketPort)}`,
    }),
    startCatalogHarness({
      ...backbone,
      PORT: String(catalogPort),
      EVENT_SUBSCRIBERS: `catalog-events=${events(ticketPort)}`,
    }),
  ]);
  artistId = (await catalog.app.admin.createArtist(CATALOG_ADMIN, { name: `Cancel Race ${Date.now()}` })).id;
}, 60_000);
afterAll(async () => {
  await Promise.all([ticket?.close(), payment?.close(), catalog?.close()]);
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const PREPARE = `mutation($r: ID!) { preparePayment(kind: RESERVATION, referenceId: $r) { id orderId amount } }`;
const CONFIRM = `mutation($o: String!, $k: String!, $a: Int!) { confirmPayment(orderId: $o, paymentKey: $k, amount: $a) { outcome } }`;

function codeOf(res: GraphQLResponse<unknown>): string | undefined {
  const extensions = res.errors?.[0]?.extensions;
  return extensions ? `${extensions.code}/${extensions.reason ?? ""}` : undefined;
}

/** An event on sale in catalog, known to ticket (over catalog-events), with two seats. */
async function eventOnSale(): Promise<{ eventId: string; seats: string[] }> {
  const day = 86_400_000;
  const event = await catalog.app.admin.createEvent(CATALOG_ADMIN, {
    artistId,
    title: `Race ${randomUUID().slice(0, 8)}`,
    venue: "Race Hall",
    startsAt: new Date(Date.now() + 30 * day),
    saleStartsAt: new Date(Date.now() - day),
    saleEndsAt: new Date(Date.now() + 29 * day),
  });
  await eventually(
    () => ticket.count("SELECT count(*) AS n FROM catalog_events WHERE event_id = $1", [event.id]),
    (n) => n === 1,
    "the event to reach ticket",
  );
  return { eventId: event.id, seats: await ticket.seatEvent(event.id, 1, 2) };
}

async function hold(user: number, eventId: string, seatId: string): Promise<string> {
  const res = await ticket.call<HoldData>(HOLD, { e: eventId, s: [seatId], k: randomUUID() }, fan(user));
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.holdSeats.id;
}

/** The fan pays as the web client does: prepare, then confirm with the provider's paymentKey. */
async function pay(user: number, reservationId: string) {
  const prepared = await payment.call<{ preparePayment: { id: string; orderId: string; amount: number } }>(
    PREPARE,
    { r: reservationId },
    fan(user),
  );
  const order = prepared.data?.preparePayment;
  if (!order) return { refused: codeOf(prepared), paymentKey: null };
  const paymentKey = `pk-${order.id}`;
  const confirmed = await payment.call<{ confirmPayment: { outcome: string } }>(
    CONFIRM,
    { o: order.orderId, k: paymentKey, a: order.amount },
    fan(user),
  );
  return { refused: codeOf(confirmed), outcome: confirmed.data?.confirmPayment.outcome, paymentKey };
}

const reservation = (id: string) =>
  ticket.sql
    .query<{ status: string; end_reason: string | null; confirmed_at: Date | null; updated_at: Date }>(
      "SELECT status::text, end_reason, confirmed_at, updated_at FROM reservations WHERE id = $1",
      [id],
    )
    .then((rows) => rows[0]);

it(`a cancellation racing a payment, ${ROUNDS} times with random delays: a sale before it, or no money kept and no seat counted`, async () => {
  const seen = { soldBefore: 0, refusedBeforeCharge: 0, refundedAfterCharge: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const { eventId, seats } = await eventOnSale();
    const buyer = 90_000 + round;
    const [reservationId, witnessId] = await Promise.all([
      hold(buyer, eventId, seats[0] ?? ""),
      hold(95_000 + round, eventId, seats[1] ?? ""),
    ]);

    const [paid] = await Promise.all([
      pause(Math.random() * 150).then(() => pay(buyer, reservationId)),
      pause(Math.random() * 500).then(() => catalog.app.admin.cancelEvent(CATALOG_ADMIN, eventId, "storm")),
    ]);

    // The cancellation reaches ticket and ends the witness's hold, every time.
    const witness = await eventually(
      () => reservation(witnessId),
      (r) => r?.status === "CANCELLED",
      "the cancellation to end the witness's hold",
    );
    expect(witness?.end_reason).toBe("EVENT_CANCELLED");
    // Everything settles: the buyer's reservation leaves PENDING, payment finishes any refund.
    const mine = await eventually(
      () => reservation(reservationId),
      (r) => r?.status !== "PENDING",
      "the buyer's reservation to settle",
    );
    const charged = paid.paymentKey ? (payment.toss.charges.get(paid.paymentKey) ?? 0) : 0;
    const refunds = () => (paid.paymentKey ? (payment.toss.refunds.get(paid.paymentKey) ?? 0) : 0);
    const [seat] = await ticket.sql.query<{ status: string; reservation_id: string | null }>(
      "SELECT status::text, reservation_id FROM seats WHERE id = $1",
      [seats[0]],
    );

    if (mine?.status === "CONFIRMED" || mine?.status === "REFUNDED") {
      seen.soldBefore++;
      expect(paid).toMatchObject({ refused: undefined, outcome: "CONFIRMED" });
      expect(charged).toBe(1);
      // Sold before the cancellation took effect in ticket, never after.
      expect(mine.confirmed_at?.getTime()).toBeLessThan(witness?.updated_at.getTime() ?? 0);
      // Then refunded by the cancellation, once.
      const refunded = await eventually(
        () => reservation(reservationId),
        (r) => r?.status === "REFUNDED",
        "the cancellation to refund the sale",
      );
      expect(refunded?.end_reason).toBe("RESERVATION_EVENT_CANCELLED");
      await eventually(
        () => Promise.resolve(refunds()),
        (n) => n === 1,
        "the provider refund",
      );
      const [after] = await ticket.sql.query<{ status: string }>(
        "SELECT status::text FROM seats WHERE id = $1",
        [seats[0]],
      );
      expect(after?.status).toBe("AVAILABLE");
      await eventually(
        () =>
          catalog.count("SELECT coalesce(sum(tickets_sold), 0) AS n FROM event_sales WHERE event_id = $1", [
            eventId,
          ]),
        (n) => n === 0,
        "catalog to count the refund",
      );
      continue;
    }
    expect(mine).toMatchObject({ status: "CANCELLED", end_reason: "EVENT_CANCELLED" });
    expect(seat).toEqual({ status: "AVAILABLE", reservation_id: null });
    expect(await ticket.app.locks.holder(eventId, seats[0] ?? "")).toBeNull();
    if (charged === 0) {
      seen.refusedBeforeCharge++;
      expect(paid.refused).toMatch(/^CONFLICT\//);
    } else {
      seen.refundedAfterCharge++;
      const row = await eventually(
        () =>
          payment.sql
            .query<{ status: string; refund_reason: string | null }>(
              "SELECT status::text, refund_reason FROM payments WHERE payment_key = $1",
              [paid.paymentKey],
            )
            .then((rows) => rows[0]),
        (r) => r?.status === "REFUNDED",
        "the automatic refund",
      );
      expect(row?.refund_reason).toBe("RESERVATION_EVENT_CANCELLED");
      expect(refunds()).toBe(charged);
    }
    expect(
      await catalog.count("SELECT coalesce(sum(tickets_sold), 0) AS n FROM event_sales WHERE event_id = $1", [
        eventId,
      ]),
    ).toBe(0);
  }
  // Every round ended one of the three ways (the assertions above hold for each).
  expect(seen.soldBefore + seen.refusedBeforeCharge + seen.refundedAfterCharge).toBe(ROUNDS);
}, 240_000);
