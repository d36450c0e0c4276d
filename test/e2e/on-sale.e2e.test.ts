import { randomUUID } from "node:crypto";
import { firstErrorCode } from "@urr/testkit";
import {
  daysFromNow,
  type E2EStack,
  enterQueue,
  eventually,
  signIn,
  startE2EStack,
} from "./support/stack.ts";

/**
 * The on-sale path through the gateway, real processes: an admin publishes an event (catalog), its
 * sale window reaches ticket through catalog-events, seats are generated, fans browse events with
 * seats and artist in one query, hold, see availability change, cancel.
 */
let stack: E2EStack;
beforeAll(async () => {
  stack = await startE2EStack();
});
afterAll(() => stack?.stop());

it("publish → seats → browse in one query → hold → availability → cancel", async () => {
  const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
  const fanA = await signIn(stack, `a-${Date.now()}@urr.test`, "goodpass1", true);
  const fanB = await signIn(stack, `b-${Date.now()}@urr.test`, "goodpass1", true);

  const artist = await admin(
    `mutation { createArtist(input: { name: "On-sale Artist ${Date.now()}" }) { id } }`,
  );
  const created = await admin("mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }", {
    i: {
      artistId: artist.data?.createArtist.id,
      title: "On-sale Night",
      venue: "E2E Arena",
      startsAt: daysFromNow(20),
      saleStartsAt: daysFromNow(-1),
      saleEndsAt: daysFromNow(19),
    },
  });
  const eventId: string = created.data?.createEvent.id;
  const layout = await admin("mutation($i: CreateSeatLayoutInput!) { createSeatLayout(input: $i) { id } }", {
    i: {
      name: `E2E Hall ${randomUUID()}`,
      definition: {
        priceTiers: [{ name: "R", price: 120000 }],
        sections: [{ name: "A", priceTier: "R", x: 0, y: 0, rows: [{ label: "1", seats: 8 }] }],
      },
    },
  });
  // Ticket learns of the event from catalog-events (outbox → relay); generation waits for it.
  const generated = await eventually(async () => {
    const res = await admin(
      "mutation($e: ID!, $l: ID!) { generateSeats(eventId: $e, layoutId: $l) { seatsCreated } }",
      {
        e: eventId,
        l: layout.data?.createSeatLayout.id,
      },
    );
    return res.errors?.[0]?.extensions?.code === "NOT_FOUND" ? undefined : res;
  }, "the event to reach ticket");
  expect(generated.data?.generateSeats.seatsCreated).toBe(8);

  const BROWSE = `query { events(filter: { search: "E2E Arena" }) { edges { node {
    id title status artist { name } availability { totalSeats available held } seats { id label status }
  } } } }`;
  const browsed = await fanA(BROWSE);
  const node = browsed.data?.events.edges[0].node;
  expect(node).toMatchObject({
    title: "On-sale Night",
    status: "ON_SALE",
    availability: { totalSeats: 8, available: 8, held: 0 },
  });
  expect(node.artist.name).toMatch(/On-sale Artist/);
  const seatIds = node.seats.slice(3, 5).map((s: { id: string }) => s.id);

  // Only fans the waiting room admitted may hold: each joins the queue and gets an entry token.
  const passA = await enterQueue(fanA, eventId);
  const passB = await enterQueue(fanB, eventId);
  const HOLD = `mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) {
    holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) {
    id status totalAmount event { title } user { id } items { seat { label status } }
  } }`;
  expect(firstErrorCode(await fanA(HOLD, { e: eventId, s: seatIds, k: randomUUID(), t: passB }))).toBe(
    "FORBIDDEN",
  );
  const held = await fanA(HOLD, { e: eventId, s: seatIds, k: randomUUID(), t: passA });
  expect(held.errors).toBeUndefined();
  expect(held.data?.holdSeats).toMatchObject({
    status: "PENDING",
    totalAmount: 240000,
    event: { title: "On-sale Night" },
  });

  const contested = await fanB(HOLD, { e: eventId, s: [seatIds[1]], k: randomUUID(), t: passB });
  expect(contested.errors?.[0]?.extensions).toMatchObject({
    code: "CONFLICT",
    reason: "SEATS_TAKEN",
    seats: ["A-1-5"],
  });
  expect((await fanB(BROWSE)).data?.events.edges[0].node.availability).toMatchObject({
    available: 6,
    held: 2,
  });

  const mine = await fanA("{ myReservations { id status event { title } } }");
  expect(mine.data?.myReservations).toEqual([
    { id: held.data?.holdSeats.id, status: "PENDING", event: { title: "On-sale Night" } },
  ]);
  expect(
    firstErrorCode(
      await fanB("query($id: ID!) { reservation(id: $id) { id } }", { id: held.data?.holdSeats.id }),
    ),
  ).toBe("FORBIDDEN");

  const cancelled = await fanA("mutation($id: ID!) { cancelReservation(id: $id) { status } }", {
    id: held.data?.holdSeats.id,
  });
  expect(cancelled.data?.cancelReservation.status).toBe("CANCELLED");
  expect((await fanB(BROWSE)).data?.events.edges[0].node.availability).toMatchObject({
    available: 8,
    held: 0,
  });
  expect(
    (await fanB(HOLD, { e: eventId, s: [seatIds[1]], k: randomUUID(), t: passB })).errors,
  ).toBeUndefined();
});
