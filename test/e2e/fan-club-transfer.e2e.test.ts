import { randomUUID } from "node:crypto";
import {
  daysFromNow,
  type E2EStack,
  eventually,
  payWithSimulatedProvider,
  signIn,
  startE2EStack,
} from "./support/stack.ts";

/**
 * Fan club to transfer through the gateway, real processes: a fan joins an artist's club and pays
 * (tier SILVER), holds a seat in the SILVER pre-sale and buys it, lists the ticket; a second fan
 * (no club) buys the listing; door staff's `verifyTicket` refuses the first fan's code and accepts
 * the second's.
 */
let stack: E2EStack;
beforeAll(async () => {
  stack = await startE2EStack();
});
afterAll(() => stack?.stop());

const PREPARE = `mutation($k: PaymentKind!, $r: ID!) { preparePayment(kind: $k, referenceId: $r) { orderId amount } }`;

it("join and pay → SILVER → hold in the pre-sale → buy → list → a second fan buys → the first code is refused, the second admitted", async () => {
  const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
  const first = await signIn(stack, `club-a-${Date.now()}@urr.test`, "goodpass1", true);
  const second = await signIn(stack, `club-b-${Date.now()}@urr.test`, "goodpass1", true);

  const artist = await admin(
    `mutation { createArtist(input: { name: "Club Artist ${Date.now()}" }) { id } }`,
  );
  const artistId: string = artist.data?.createArtist.id;
  // The general sale opens in 30 minutes: the SILVER stage (one PRESALE_STAGE_MINUTES before) is open.
  const created = await admin("mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }", {
    i: {
      artistId,
      title: "Club Night",
      venue: "Transfer Hall",
      startsAt: daysFromNow(20),
      saleStartsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      saleEndsAt: daysFromNow(19),
    },
  });
  const eventId: string = created.data?.createEvent.id;
  const layout = await admin("mutation($i: CreateSeatLayoutInput!) { createSeatLayout(input: $i) { id } }", {
    i: {
      name: `Transfer Hall ${randomUUID()}`,
      definition: {
        priceTiers: [{ name: "R", price: 100000 }],
        sections: [{ name: "A", priceTier: "R", x: 0, y: 0, rows: [{ label: "1", seats: 4 }] }],
      },
    },
  });
  await eventually(async () => {
    const res = await admin(
      "mutation($e: ID!, $l: ID!) { generateSeats(eventId: $e, layoutId: $l) { seatsCreated } }",
      {
        e: eventId,
        l: layout.data?.createSeatLayout.id,
      },
    );
    return res.errors?.[0]?.extensions?.code === "NOT_FOUND" ? undefined : res;
  }, "ticket to learn the event");

  // Join the club and pay: SILVER, ACTIVE.
  const joined = await eventually(async () => {
    const res = await first("mutation($a: ID!) { joinMembership(artistId: $a) { id openOrder { id } } }", {
      a: artistId,
    });
    return res.data?.joinMembership ?? undefined;
  }, "ticket to learn the artist");
  await payWithSimulatedProvider(first, "MEMBERSHIP", joined.openOrder.id);
  await eventually(async () => {
    const res = await first("query { myMemberships { tier status } }");
    return res.data?.myMemberships[0]?.status === "ACTIVE" ? res.data.myMemberships[0] : undefined;
  }, "the membership to activate");

  // The waiting room admits the member in the SILVER stage once it learnt the tier (membership-events).
  const joinQueue = "mutation($e: ID!) { joinQueue(eventId: $e) { state entryToken } }";
  const entryToken: string = await eventually(async () => {
    const res = await first(joinQueue, { e: eventId });
    return res.data?.joinQueue?.state === "ACTIVE" ? res.data.joinQueue.entryToken : undefined;
  }, "the queue to admit the member in the pre-sale");
  const bronze = await second(joinQueue, { e: eventId });
  expect(bronze.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "SALE_NOT_OPEN" });

  const seats = await first("query($e: ID!) { event(id: $e) { seats { id } } }", { e: eventId });
  const held = await first(
    `mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) {
      holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) { id totalAmount }
    }`,
    { e: eventId, s: [seats.data?.event.seats[0].id], k: `club-${randomUUID()}`, t: entryToken },
  );
  const reservation = held.data?.holdSeats;
  if (!reservation) throw new Error(JSON.stringify(held.errors));
  expect(reservation.totalAmount).toBe(103_000); // face value + SILVER booking fee
  await payWithSimulatedProvider(first, "RESERVATION", reservation.id);
  const bought = await eventually(async () => {
    const res = await first("query { myTickets { id code codeVersion } }");
    return res.data?.myTickets[0];
  }, "the ticket to be issued");

  const listed = await first(
    "mutation($t: ID!) { listTicketForTransfer(ticketId: $t) { id price fee amount status } }",
    { t: bought.id },
  );
  expect(listed.data?.listTicketForTransfer).toMatchObject({
    price: 100_000,
    fee: 10_000,
    amount: 110_000,
    status: "LISTED",
  });
  const listingId: string = listed.data?.listTicketForTransfer.id;
  const own = await first(PREPARE, { k: "TRANSFER", r: listingId });
  expect(own.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "OWN_LISTING" });

  expect(await payWithSimulatedProvider(second, "TRANSFER", listingId)).toBe(110_000);
  const received = await eventually(async () => {
    const res = await second("query { myTickets { id code codeVersion } }");
    return res.data?.myTickets.find((t: { id: string }) => t.id === bought.id);
  }, "the ticket to change hands");
  expect(received.codeVersion).toBe(2);

  const VERIFY = "query($c: String!) { verifyTicket(code: $c) { valid refusal } }";
  expect((await admin(VERIFY, { c: bought.code })).data?.verifyTicket).toEqual({
    valid: false,
    refusal: "SUPERSEDED",
  });
  expect((await admin(VERIFY, { c: received.code })).data?.verifyTicket).toEqual({
    valid: true,
    refusal: null,
  });
  const scan = await admin("query($e: ID!) { ticketRevocations(eventId: $e) { ticketId version reason } }", {
    e: eventId,
  });
  expect(scan.data?.ticketRevocations).toEqual([{ ticketId: bought.id, version: 1, reason: "TRANSFERRED" }]);
}, 120_000);
