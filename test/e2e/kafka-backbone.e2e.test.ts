import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { connectPgRunner, type SqlRunner } from "@urr/db";
import { ALL_TOPICS } from "@urr/events";
import { type KafkaMock, startKafkaMock } from "@urr/testkit";
import { Kafka, logLevel } from "kafkajs";
import { type E2EStack, enterQueue, eventually, type Gql, signIn, startE2EStack } from "./support/stack.ts";

/**
 * The stack in services mode with KAFKA_BROKERS set: every subgraph's outbox goes to Kafka (no HTTP
 * subscribers are configured, so Kafka is the only path). An event created in catalog reaches
 * ticket; a fan holds, prepares and pays through the gateway; the ticket subgraph applies the
 * payment.confirmed and is killed before it acknowledges it (TEST_CRASH_AFTER_PAYMENT_CONFIRMED,
 * ticket's test-only fault point). After its restart Kafka delivers the message again, and the
 * confirmation must still be applied exactly once. One partition per topic, so a later payment
 * confirmed after the restart proves the earlier message was delivered again before it.
 */
let broker: KafkaMock;
let stack: E2EStack;
let ticketDb: SqlRunner;
const faults = mkdtempSync(path.join(tmpdir(), "urr-faults-"));
const crashMarker = path.join(faults, "ticket-crashed-after-payment-confirmed");
beforeAll(async () => {
  broker = await startKafkaMock(
    ALL_TOPICS.flatMap((topic) => [topic, `${topic}.dlq`]),
    { partitions: 1 },
  );
  stack = await startE2EStack({
    kafkaBrokers: broker.brokers,
    extraEnv: { ticket: { TEST_CRASH_AFTER_PAYMENT_CONFIRMED: crashMarker } },
  });
  ticketDb = await connectPgRunner(ticketEnv().DATABASE_URL ?? "");
});
afterAll(async () => {
  await ticketDb?.close();
  await stack?.stop();
  await broker?.stop();
  rmSync(faults, { recursive: true, force: true });
});

const ticketEnv = () => stack.plan.subgraphs.find((s) => s.name === "ticket")?.env ?? {};
const HOLD =
  "mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) { holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) { id status totalAmount } }";
const PREPARE =
  "mutation($r: ID!) { preparePayment(kind: RESERVATION, referenceId: $r) { orderId amount status } }";
const CONFIRM =
  "mutation($o: String!, $k: String!, $a: Int!) { confirmPayment(orderId: $o, paymentKey: $k, amount: $a) { outcome payment { status } } }";

/** Holds seats, prepares and confirms the payment through the gateway; returns the ids. */
async function buy(fan: Gql, eventId: string, seatIds: string[]) {
  const held = await fan(HOLD, {
    e: eventId,
    t: await enterQueue(fan, eventId),
    s: seatIds,
    k: randomUUID(),
  });
  expect(held.data?.holdSeats).toMatchObject({ status: "PENDING", totalAmount: 1000 * seatIds.length });
  const reservationId: string = held.data?.holdSeats.id;
  const prepared = await fan(PREPARE, { r: reservationId });
  expect(prepared.data?.preparePayment).toMatchObject({ status: "PENDING" });
  const orderId: string = prepared.data?.preparePayment.orderId;
  const confirmed = await fan(CONFIRM, { o: orderId, k: `pk-${randomUUID()}`, a: 1000 * seatIds.length });
  expect(confirmed.data?.confirmPayment).toEqual({ outcome: "CONFIRMED", payment: { status: "CONFIRMED" } });
  return { reservationId, orderId };
}

const reservationStatus = async (id: string) =>
  (await ticketDb.query<{ status: string }>("SELECT status FROM reservations WHERE id = $1", [id]))[0]
    ?.status;
const outboxCount = async (type: string, reservationId: string) =>
  Number(
    (
      await ticketDb.query<{ n: string }>(
        "SELECT count(*) AS n FROM outbox_events WHERE event_type = $1 AND message_key = $2",
        [type, reservationId],
      )
    )[0]?.n,
  );

it("catalog → ticket over Kafka; a confirmation applied, then redelivered after ticket was killed before acknowledging it, counts once", async () => {
  const catalogEnv = stack.plan.subgraphs.find((s) => s.name === "catalog")?.env ?? {};
  expect(catalogEnv.KAFKA_BROKERS).toBe(broker.brokers.join(","));
  expect(catalogEnv.EVENT_SUBSCRIBERS).toBeUndefined();

  const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
  const day = 86_400_000;
  const artist = await admin(
    `mutation { createArtist(input: { name: "Kafka Artist ${Date.now()}" }) { id } }`,
  );
  const event = await admin("mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }", {
    i: {
      artistId: artist.data?.createArtist.id,
      title: "Kafka Night",
      venue: "Broker Hall",
      startsAt: new Date(Date.now() + 20 * day).toISOString(),
      saleStartsAt: new Date(Date.now() - day).toISOString(),
      saleEndsAt: new Date(Date.now() + 19 * day).toISOString(),
    },
  });
  const eventId = event.data?.createEvent.id;
  const layout = await admin("mutation($i: CreateSeatLayoutInput!) { createSeatLayout(input: $i) { id } }", {
    i: {
      name: `Kafka Hall ${randomUUID()}`,
      definition: {
        priceTiers: [{ name: "R", price: 1000 }],
        sections: [{ name: "A", priceTier: "R", x: 0, y: 0, rows: [{ label: "1", seats: 4 }] }],
      },
    },
  });

  const deadline = Date.now() + 45_000; // the consumer group's first join takes a few seconds
  let generated: Awaited<ReturnType<typeof admin>> | undefined;
  while (Date.now() < deadline) {
    generated = await admin(
      "mutation($e: ID!, $l: ID!) { generateSeats(eventId: $e, layoutId: $l) { seatsCreated } }",
      {
        e: eventId,
        l: layout.data?.createSeatLayout.id,
      },
    );
    if (generated.errors?.[0]?.extensions?.code !== "NOT_FOUND") break;
    await new Promise((r) => setTimeout(r, 300));
  }
  expect(generated?.errors).toBeUndefined();
  expect(generated?.data?.generateSeats.seatsCreated).toBe(4);

  const fan = await signIn(stack, `kafka-${Date.now()}@urr.test`, "goodpass1", true);
  const seats = await fan(
    `{ events(filter: { search: "Broker Hall" }) { edges { node { seats { id } } } } }`,
  );
  const seatIds: string[] = seats.data?.events.edges[0].node.seats.map((s: { id: string }) => s.id);

  // Ticket applies the payment.confirmed (committed in PostgreSQL) and dies before acknowledging it.
  const { reservationId, orderId } = await buy(fan, eventId, seatIds.slice(0, 2));
  const ticketGone = () =>
    fetch(`http://127.0.0.1:${ticketEnv().PORT}/health`).then(
      () => false,
      () => true,
    );
  await eventually(
    async () => (existsSync(crashMarker) && (await ticketGone()) ? true : undefined),
    "ticket to crash after applying the confirmation",
    45_000,
  );
  expect(await reservationStatus(reservationId)).toBe("CONFIRMED");
  expect(await outboxCount("reservation.confirmed", reservationId)).toBe(1);
  await stack.restart("ticket");

  // A second purchase confirmed after the restart, behind the first on payment-events' one
  // partition: once ticket has applied it, the first message has been delivered again.
  const other = await signIn(stack, `kafka-2-${Date.now()}@urr.test`, "goodpass1", true);
  const second = await buy(other, eventId, seatIds.slice(2, 4));
  await eventually(
    async () => ((await reservationStatus(second.reservationId)) === "CONFIRMED" ? true : undefined),
    "the purchase after the restart to confirm",
    45_000,
  );
  // The redelivered confirmation changed nothing: one confirmation, no rejection (which would
  // refund the fan), one set of tickets.
  expect(await reservationStatus(reservationId)).toBe("CONFIRMED");
  expect(await outboxCount("reservation.confirmed", reservationId)).toBe(1);
  expect(await outboxCount("reservation.confirmation-rejected", reservationId)).toBe(0);
  const tickets = await ticketDb.query<{ n: string }>(
    "SELECT count(*) AS n FROM tickets WHERE reservation_id = $1 AND status = 'ISSUED'",
    [reservationId],
  );
  expect(Number(tickets[0]?.n)).toBe(2);

  const purchase = `{
    myReservations { id status payment { orderId status } tickets { label status } }
    myTickets { label event { title } }
    myPayments { orderId status amount }
  }`;
  let mine: Awaited<ReturnType<typeof fan>> | undefined;
  const until = Date.now() + 45_000;
  while (Date.now() < until) {
    mine = await fan(purchase);
    if (mine.data?.myReservations[0]?.status === "CONFIRMED") break;
    await new Promise((r) => setTimeout(r, 300));
  }
  expect(mine?.errors).toBeUndefined();
  expect(mine?.data?.myReservations).toEqual([
    {
      id: reservationId,
      status: "CONFIRMED",
      payment: { orderId, status: "CONFIRMED" },
      tickets: [expect.objectContaining({ status: "ISSUED" }), expect.objectContaining({ status: "ISSUED" })],
    },
  ]);
  expect(mine?.data?.myTickets).toHaveLength(2);
  expect(mine?.data?.myTickets[0].event.title).toBe("Kafka Night");
  expect(mine?.data?.myPayments).toEqual([{ orderId, status: "CONFIRMED", amount: 2000 }]);

  // The waiting room over Kafka: the admission went out on queue-events, and the purchase
  // (reservation-events) freed the fan's slot.
  const userId: string = (await fan("{ me { id } }")).data?.me.id;
  const admissions = await readTopic(
    "queue-events",
    (e) => e.type === "queue.admitted" && e.payload.userId === userId,
  );
  expect(admissions[0]?.payload).toMatchObject({ eventId, userId, queueNumber: 1 });
  const status = "query($e: ID!) { queueStatus(eventId: $e) { state } }";
  const freedBy = Date.now() + 15_000;
  while (
    (await fan(status, { e: eventId })).data?.queueStatus.state !== "NOT_IN_QUEUE" &&
    Date.now() < freedBy
  ) {
    await new Promise((r) => setTimeout(r, 200));
  }
  expect((await fan(status, { e: eventId })).data?.queueStatus.state).toBe("NOT_IN_QUEUE");
});

type Envelope = { type: string; payload: Record<string, unknown> };

/** Reads a topic from the beginning until a message matches (or 15 s pass). */
async function readTopic(topic: string, match: (event: Envelope) => boolean): Promise<Envelope[]> {
  const kafka = new Kafka({ clientId: "e2e-reader", brokers: broker.brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `e2e-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const found: Envelope[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing matching on ${topic}`)), 15_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const event = JSON.parse(message.value?.toString() ?? "{}") as Envelope;
          if (!match(event)) return;
          found.push(event);
          clearTimeout(timer);
          resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return found;
}
