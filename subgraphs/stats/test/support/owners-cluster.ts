import { randomUUID } from "node:crypto";
import type { Viewer } from "@urr/auth-tokens";
import {
  type EventEnvelope,
  MEMBERSHIP_TOPIC,
  PAYMENT_TOPIC,
  RESERVATION_TOPIC,
  TRANSFER_TOPIC,
} from "@urr/events";
import { freePort } from "@urr/testkit";
import {
  type PaymentHarness,
  SERVICE_SECRET,
  startPaymentHarness,
} from "../../../payment/test/support/payment-harness.ts";
import { join } from "../../../ticket/test/support/membership-fixtures.ts";
import {
  HOLD,
  type HoldData,
  startTicketHarness,
  type TicketHarness,
} from "../../../ticket/test/support/ticket-harness.ts";
import { DELIVERY_SECRET, type StatsHarness, startStatsHarness } from "./stats-harness.ts";

/** What each owner publishes that stats consumes (queue's admissions are not part of this cluster). */
export const TICKET_TOPICS = [RESERVATION_TOPIC, TRANSFER_TOPIC, MEMBERSHIP_TOPIC];
export const PAYMENT_TOPICS = [PAYMENT_TOPIC];

const PREPARE = `mutation($kind: PaymentKind!, $r: ID!) {
  preparePayment(kind: $kind, referenceId: $r) { id orderId amount } }`;
const CONFIRM = `mutation($o: String!, $k: String!, $a: Int!) {
  confirmPayment(orderId: $o, paymentKey: $k, amount: $a) { outcome } }`;
const REFUND = `mutation($k: String!, $r: String!) { cancelPayment(paymentKey: $k, reason: $r) { status } }`;
const RESERVE = `mutation($e: ID!, $i: [TicketItemInput!]!, $k: String!, $t: String) {
  reserveTickets(eventId: $e, items: $i, idempotencyKey: $k, entryToken: $t) { id } }`;
const CANCEL = "mutation($id: ID!) { cancelReservation(id: $id) { status } }";

type Prepared = { preparePayment: { id: string; orderId: string; amount: number } };

/**
 * The real ticket and payment subgraphs (PostgreSQL, Redis seat locks, the fake card provider)
 * with their outboxes relayed as signed HTTP to each other, as production wires them, and to a
 * stats subgraph: the owners of every figure and the projection that must agree with them. The
 * steps are the fans' own calls (GraphQL on ticket and payment); each waits until the owners have
 * finished reacting to it, so the script reads as a sequence.
 */
export interface OwnersCluster {
  ticket: TicketHarness;
  payment: PaymentHarness;
  stats: StatsHarness;
  /** holdSeats; returns the reservation id. */
  hold(viewer: Viewer, eventId: string, seatIds: string[]): Promise<string>;
  /** reserveTickets of one general-admission type; returns the reservation id. */
  reserve(viewer: Viewer, eventId: string, ticketTypeId: string, quantity: number): Promise<string>;
  cancel(viewer: Viewer, reservationId: string): Promise<void>;
  /** Pays a reservation and waits until ticket confirmed it; returns the payment key. */
  buy(viewer: Viewer, reservationId: string): Promise<string>;
  /** The buyer asks payment for the money back; waits until ticket refunded the reservation. */
  refund(viewer: Viewer, key: string, reservationId: string): Promise<void>;
  /** joinMembership and pays its open order (a join, or a renewal); waits until ticket applied it. */
  payMembership(viewer: Viewer, artistId: string): Promise<void>;
  /** Buys a listed ticket; waits until it changed hands and payment knows the transfer completed. */
  buyListing(viewer: Viewer, transferId: string): Promise<void>;
  /** Waits until every event the owners published for stats is applied; returns how many. */
  settle(): Promise<number>;
  /** Every envelope the owners published on the topics stats consumes, as their outboxes hold them. */
  published(): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startOwnersCluster(): Promise<OwnersCluster> {
  const [ticketPort, paymentPort] = [await freePort(), await freePort()];
  const stats = await startStatsHarness();
  const statsUrl = stats.app.subgraph.url.replace(/\/graphql$/, "/internal/events");
  const events = (port: number) => `http://127.0.0.1:${port}/internal/events`;
  const route = (topics: string[], url: string) => topics.map((topic) => `${topic}=${url}`);
  const backbone = { EVENT_DELIVERY_SECRET: DELIVERY_SECRET, OUTBOX_RELAY_INTERVAL_MS: "50" };
  const [ticket, payment] = await Promise.all([
    startTicketHarness({
      ...backbone,
      PORT: String(ticketPort),
      INTERNAL_API_SECRET: SERVICE_SECRET,
      EVENT_SUBSCRIBERS: [
        ...route([RESERVATION_TOPIC, TRANSFER_TOPIC], events(paymentPort)),
        ...route(TICKET_TOPICS, statsUrl),
      ].join(","),
    }),
    startPaymentHarness({
      ...backbone,
      PORT: String(paymentPort),
      TICKET_INTERNAL_URL: `http://127.0.0.1:${ticketPort}`,
      EVENT_SUBSCRIBERS: [
        ...route(PAYMENT_TOPICS, events(ticketPort)),
        ...route(PAYMENT_TOPICS, statsUrl),
      ].join(","),
    }),
  ]);
  const ticketValue = async (sql: string, params: unknown[]) =>
    (await ticket.sql.query<{ v: string | null }>(sql, params))[0]?.v ?? null;

  async function pay(viewer: Viewer, kind: string, referenceId: string): Promise<string> {
    const prepared = await payment.call<Prepared>(PREPARE, { kind, r: referenceId }, viewer);
    const order = prepared.data?.preparePayment;
    if (!order) throw new Error(JSON.stringify(prepared.errors));
    const key = `pk-${order.id}`;
    const confirmed = await payment.call<{ confirmPayment: { outcome: string } }>(
      CONFIRM,
      { o: order.orderId, k: key, a: order.amount },
      viewer,
    );
    if (confirmed.data?.confirmPayment.outcome !== "CONFIRMED") throw new Error(JSON.stringify(confirmed));
    return key;
  }
  const reservationStatus = (id: string) =>
    ticketValue("SELECT status::text AS v FROM reservations WHERE id = $1", [id]);
  const unpublished = async () =>
    (await ticket.count(
      "SELECT count(*) AS n FROM outbox_events WHERE topic = ANY($1) AND published_at IS NULL",
      [TICKET_TOPICS],
    )) +
    (await payment.count(
      "SELECT count(*) AS n FROM outbox_events WHERE topic = ANY($1) AND published_at IS NULL",
      [PAYMENT_TOPICS],
    ));
  const publishedCount = async () =>
    (await ticket.count("SELECT count(*) AS n FROM outbox_events WHERE topic = ANY($1)", [TICKET_TOPICS])) +
    (await payment.count("SELECT count(*) AS n FROM outbox_events WHERE topic = ANY($1)", [PAYMENT_TOPICS]));

  return {
    ticket,
    payment,
    stats,
    async hold(viewer, eventId, seatIds) {
      const res = await ticket.call<HoldData>(HOLD, { e: eventId, s: seatIds, k: randomUUID() }, viewer);
      if (!res.data) throw new Error(JSON.stringify(res.errors));
      return res.data.holdSeats.id;
    },
    async reserve(viewer, eventId, ticketTypeId, quantity) {
      const res = await ticket.call<{ reserveTickets: { id: string } }>(
        RESERVE,
        { e: eventId, i: [{ ticketTypeId, quantity }], k: randomUUID() },
        viewer,
      );
      if (!res.data) throw new Error(JSON.stringify(res.errors));
      return res.data.reserveTickets.id;
    },
    async cancel(viewer, reservationId) {
      const res = await ticket.call(CANCEL, { id: reservationId }, viewer);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
    },
    async buy(viewer, reservationId) {
      const key = await pay(viewer, "RESERVATION", reservationId);
      await eventually(
        () => reservationStatus(reservationId),
        (s) => s === "CONFIRMED",
        "ticket to confirm",
      );
      return key;
    },
    async refund(viewer, key, reservationId) {
      const res = await payment.call(REFUND, { k: key, r: "changed plans" }, viewer);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      await eventually(
        () => reservationStatus(reservationId),
        (s) => s === "REFUNDED",
        "ticket to refund",
      );
    },
    async payMembership(viewer, artistId) {
      const order = (await join(ticket, viewer, artistId)).openOrder;
      if (!order) throw new Error("no open membership order to pay");
      await pay(viewer, "MEMBERSHIP", order.id);
      await eventually(
        () => ticketValue("SELECT status::text AS v FROM membership_orders WHERE id = $1", [order.id]),
        (s) => s === "PAID",
        "ticket to apply the membership payment",
      );
    },
    async buyListing(viewer, transferId) {
      await pay(viewer, "TRANSFER", transferId);
      await eventually(
        () =>
          payment.count(
            "SELECT count(*) AS n FROM payments WHERE kind = 'TRANSFER' AND reference_id = $1 AND fulfilled_at IS NOT NULL",
            [transferId],
          ),
        (n) => n === 1,
        "the transfer to complete",
      );
    },
    async settle() {
      // One reading of all three, so an event published while waiting is waited for too.
      const [, total] = await eventually(
        async () => [
          await unpublished(),
          await publishedCount(),
          await stats.count("SELECT count(*) AS n FROM processed_events"),
        ],
        ([pending, published, applied]) => pending === 0 && applied === published,
        "stats to apply every event the owners published",
      );
      return total ?? 0;
    },
    async published() {
      const rows = [
        ...(await ticket.sql.query<{ envelope: EventEnvelope }>(
          "SELECT envelope FROM outbox_events WHERE topic = ANY($1) ORDER BY created_at",
          [TICKET_TOPICS],
        )),
        ...(await payment.sql.query<{ envelope: EventEnvelope }>(
          "SELECT envelope FROM outbox_events WHERE topic = ANY($1) ORDER BY created_at",
          [PAYMENT_TOPICS],
        )),
      ];
      return rows.map((row) => row.envelope);
    },
    async close() {
      await Promise.all([ticket.close(), payment.close()]);
      await stats.close();
    },
  };
}
