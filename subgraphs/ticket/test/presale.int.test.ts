import { randomUUID } from "node:crypto";
import type { Viewer } from "@urr/auth-tokens";
import { seedMembership } from "./support/membership-fixtures.ts";
import { ADMIN, fan, startTicketHarness, type TicketHarness } from "./support/ticket-harness.ts";

/**
 * Pre-sales by fan-club tier on ticket's side: during a stage the buyer's tier has not reached, a
 * hold (and a general-admission reservation: the same decision) is refused with the stage and
 * when the buyer's opens; a member of a tier already buying is admitted and pays its booking fee.
 * Stages are an hour each (PRESALE_STAGE_MINUTES' default, the queue's too).
 */
let h: TicketHarness;
beforeAll(async () => {
  h = await startTicketHarness();
});
afterAll(() => h.close());

const HOUR = 3_600_000;
const YEAR_AHEAD = new Date(Date.now() + 365 * 86_400_000);

const HOLD = `mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) {
  holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) {
    totalAmount buyerTier items { unitPrice bookingFee }
  }
}`;
type Held = {
  holdSeats: { totalAmount: number; buyerTier: string; items: { unitPrice: number; bookingFee: number }[] };
};
const RESERVE = `mutation($e: ID!, $i: [TicketItemInput!]!, $k: String!, $t: String) {
  reserveTickets(eventId: $e, items: $i, idempotencyKey: $k, entryToken: $t) { totalAmount buyerTier }
}`;

/** An event of a new artist whose general sale opens in `hoursToGeneralSale`, with seats and stock. */
async function presaleEvent(hoursToGeneralSale: number) {
  const artistId = await h.publishArtist();
  const saleStartsAt = new Date(Date.now() + hoursToGeneralSale * HOUR);
  const eventId = await h.publishEvent({ artistId, saleStartsAt });
  const seats = await h.seatEvent(eventId, 1, 10);
  const standing = await h.app.seating.createTicketType(ADMIN, {
    eventId,
    name: "Standing",
    price: 50_000,
    totalQuantity: 10,
  });
  return { artistId, eventId, seats, standing: standing.id, saleStartsAt };
}

const hold = (viewer: Viewer, eventId: string, seat: string) =>
  h.call<Held>(HOLD, { e: eventId, s: [seat], k: `presale-${randomUUID()}` }, viewer);

describe("the DIAMOND stage (general sale in 2.5 hours)", () => {
  it("refuses a BRONZE fan with the running stage and when theirs opens, and admits a DIAMOND member", async () => {
    const { artistId, eventId, seats, standing, saleStartsAt } = await presaleEvent(2.5);
    const seatsBefore = await h.count(
      "SELECT count(*) AS n FROM seats WHERE event_id = $1 AND status = 'AVAILABLE'",
      [eventId],
    );

    const bronze = await hold(fan(1), eventId, seats[0] ?? "");
    expect(bronze.errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
      reason: "PRESALE_STAGE",
      stage: "DIAMOND",
      tier: "BRONZE",
      opensAt: saleStartsAt.toISOString(),
    });
    // General admission is decided in the same place, with the same answer.
    const reserved = await h.call(
      RESERVE,
      { e: eventId, i: [{ ticketTypeId: standing, quantity: 1 }], k: `ga-${randomUUID()}` },
      fan(1),
    );
    expect(reserved.errors?.[0]?.extensions).toMatchObject({ reason: "PRESALE_STAGE", stage: "DIAMOND" });

    // A GOLD member waits one more hour; an expired DIAMOND membership buys as BRONZE.
    await seedMembership(h, fan(2), artistId, { tier: "GOLD", points: 700, expiresAt: YEAR_AHEAD });
    expect((await hold(fan(2), eventId, seats[0] ?? "")).errors?.[0]?.extensions).toMatchObject({
      reason: "PRESALE_STAGE",
      tier: "GOLD",
      opensAt: new Date(saleStartsAt.getTime() - 2 * HOUR).toISOString(),
    });
    await seedMembership(h, fan(3), artistId, {
      tier: "DIAMOND",
      points: 1_600,
      expiresAt: new Date(Date.now() - 1_000),
    });
    expect((await hold(fan(3), eventId, seats[0] ?? "")).errors?.[0]?.extensions).toMatchObject({
      reason: "PRESALE_STAGE",
      tier: "BRONZE",
    });
    // Nothing was taken by the refusals.
    expect(
      await h.count("SELECT count(*) AS n FROM seats WHERE event_id = $1 AND status = 'AVAILABLE'", [
        eventId,
      ]),
    ).toBe(seatsBefore);
    expect(await h.count("SELECT count(*) AS n FROM reservations WHERE event_id = $1", [eventId])).toBe(0);

    await seedMembership(h, fan(4), artistId, { tier: "DIAMOND", points: 1_600, expiresAt: YEAR_AHEAD });
    const diamond = await hold(fan(4), eventId, seats[1] ?? "");
    expect(diamond.errors).toBeUndefined();
    expect(diamond.data?.holdSeats).toEqual({
      totalAmount: 101_000,
      buyerTier: "DIAMOND",
      items: [{ unitPrice: 100_000, bookingFee: 1_000 }],
    });
    const ga = await h.call<{ reserveTickets: { totalAmount: number; buyerTier: string } }>(
      RESERVE,
      { e: eventId, i: [{ ticketTypeId: standing, quantity: 2 }], k: `ga-${randomUUID()}` },
      fan(4),
    );
    expect(ga.data?.reserveTickets).toEqual({ totalAmount: 2 * 51_000, buyerTier: "DIAMOND" });
  });

  it("before the first stage everyone is told the sale has not opened, with when theirs opens", async () => {
    const { artistId, eventId, seats, saleStartsAt } = await presaleEvent(5);
    await seedMembership(h, fan(5), artistId, { tier: "DIAMOND", points: 2_000, expiresAt: YEAR_AHEAD });
    expect((await hold(fan(5), eventId, seats[0] ?? "")).errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
      reason: "SALE_NOT_OPEN",
      saleStartsAt: saleStartsAt.toISOString(),
      opensAt: new Date(saleStartsAt.getTime() - 3 * HOUR).toISOString(),
    });
  });
});

it("at the general sale everyone buys, and BRONZE pays no booking fee", async () => {
  const { artistId, eventId, seats } = await presaleEvent(-1);
  await seedMembership(h, fan(6), artistId, { tier: "SILVER", points: 200, expiresAt: YEAR_AHEAD });
  expect((await hold(fan(6), eventId, seats[0] ?? "")).data?.holdSeats).toMatchObject({
    totalAmount: 103_000,
    buyerTier: "SILVER",
  });
  expect((await hold(fan(7), eventId, seats[1] ?? "")).data?.holdSeats).toEqual({
    totalAmount: 100_000,
    buyerTier: "BRONZE",
    items: [{ unitPrice: 100_000, bookingFee: 0 }],
  });
});
