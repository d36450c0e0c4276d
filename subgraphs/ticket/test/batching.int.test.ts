import { ADMIN, startTicketHarness, type TicketHarness } from "./support/ticket-harness.ts";

/**
 * No N+1: the gateway asks ticket for seats, availability and ticket types of every event in a list
 * with one `_entities` call; the number of SQL statements must not grow with the number of events.
 */
let h: TicketHarness;
beforeAll(async () => {
  h = await startTicketHarness();
});
afterAll(() => h.close());

const QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Event {
  id seatLayout { name } seats { label status } ticketTypes { name availableQuantity }
  availability { totalSeats available sections { section available } }
} } }`;

async function statementsFor(eventIds: string[]): Promise<number> {
  h.queries.length = 0;
  const res = await h.call<{ _entities: { seats: unknown[] }[] }>(QUERY, {
    r: eventIds.map((id) => ({ __typename: "Event", id })),
  });
  expect(res.errors).toBeUndefined();
  expect(res.data?._entities).toHaveLength(eventIds.length);
  expect(res.data?._entities.every((e) => e.seats.length === 6)).toBe(true);
  return h.queries.filter((q) => !/^(BEGIN|COMMIT|ROLLBACK)/i.test(q.trim())).length;
}

it("resolves 3 or 20 events with the same number of SQL statements", async () => {
  const events: string[] = [];
  for (let i = 0; i < 20; i++) {
    const eventId = await h.publishEvent();
    await h.seatEvent(eventId, 2, 3);
    await h.app.seating.createTicketType(ADMIN, { eventId, name: "Standing", price: 10, totalQuantity: 5 });
    events.push(eventId);
  }
  const few = await statementsFor(events.slice(0, 3));
  const many = await statementsFor(events);
  expect(many).toBe(few);
  expect(many).toBeLessThanOrEqual(6);
});
