import { randomUUID } from "node:crypto";
import { type SeatUpdate, seatChannel } from "../src/live/seat-feed.ts";
import {
  fan,
  HOLD,
  type HoldData,
  startTicketHarness,
  type TicketHarness,
} from "./support/ticket-harness.ts";

/** The live seat map is fed by committed changes only, from every path that changes a seat. */
let h: TicketHarness;
beforeAll(async () => {
  h = await startTicketHarness();
});
afterAll(() => h.close());

async function watch(eventId: string) {
  const updates: SeatUpdate[] = [];
  const id = await h.app.pubsub.subscribe(seatChannel(eventId), (u: SeatUpdate) => updates.push(u), {});
  const until = async (match: (u: SeatUpdate) => boolean, what: string) => {
    for (
      const deadline = Date.now() + 5_000;
      Date.now() < deadline;
      await new Promise((r) => setTimeout(r, 20))
    ) {
      const found = updates.find(match);
      if (found) return found;
    }
    throw new Error(`no update with ${what}: ${JSON.stringify(updates)}`);
  };
  return { updates, until, stop: () => h.app.pubsub.unsubscribe(id) };
}

it("publishes a hold, then its expiry, with the counts after each", async () => {
  const eventId = await h.publishEvent();
  const seats = await h.seatEvent(eventId, 1, 4);
  const feed = await watch(eventId);
  const held = await h.call<HoldData>(
    HOLD,
    { e: eventId, s: seats.slice(0, 2), k: randomUUID() },
    fan(61_001),
  );
  expect(held.errors).toBeUndefined();
  const onHold = await feed.until((u) => u.changes.length === 2, "the hold");
  expect(onHold.changes.map((c) => c.status)).toEqual(["HELD", "HELD"]);
  expect(onHold.availability).toMatchObject({ totalSeats: 4, available: 2, held: 2 });

  await h.sql.query("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = $1", [
    held.data?.holdSeats.id,
  ]);
  await h.app.sweeper.sweepOnce();
  const onExpiry = await feed.until((u) => u.changes.some((c) => c.status === "AVAILABLE"), "the expiry");
  expect(onExpiry.changes).toEqual(
    expect.arrayContaining([
      { seatId: seats[0], status: "AVAILABLE" },
      { seatId: seats[1], status: "AVAILABLE" },
    ]),
  );
  expect(onExpiry.availability).toMatchObject({ available: 4, held: 0 });
  await feed.stop();
});

it("announces nothing for a hold PostgreSQL refused (nothing was committed)", async () => {
  const eventA = await h.publishEvent();
  await h.seatEvent(eventA, 1, 2);
  const eventB = await h.publishEvent();
  const seatsOfB = await h.seatEvent(eventB, 1, 2);
  const feedA = await watch(eventA);
  const feedB = await watch(eventB);
  // B's seats under A's id pass the Redis locks (keyed by event) and are refused under the row locks.
  const refused = await h.call(HOLD, { e: eventA, s: seatsOfB, k: randomUUID() }, fan(61_002));
  expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  await new Promise((r) => setTimeout(r, 300));
  expect([...feedA.updates, ...feedB.updates]).toEqual([]);
  // The same buyer's valid hold right after is announced.
  expect(
    (await h.call(HOLD, { e: eventB, s: seatsOfB, k: randomUUID() }, fan(61_002))).errors,
  ).toBeUndefined();
  await feedB.until((u) => u.changes.length === 2, "the valid hold");
  await feedA.stop();
  await feedB.stop();
});
