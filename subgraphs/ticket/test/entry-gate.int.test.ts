import { randomUUID } from "node:crypto";
import {
  type AuthenticatedViewer,
  generateSigningKeyPair,
  importSigningKey,
  signEntryToken,
} from "@urr/auth-tokens";

import { ADMIN, fan, HOLD, startTicketHarness, type TicketHarness } from "./support/ticket-harness.ts";

/** Holds and reservations need the waiting room's pass for that event and that user. */
let h: TicketHarness;
let eventId: string;
let seats: string[];
let typeId: string;
beforeAll(async () => {
  h = await startTicketHarness();
});
// Each test gets its own event: the one that holds a seat must not leave it for those expecting none.
beforeEach(async () => {
  eventId = await h.publishEvent();
  seats = await h.seatEvent(eventId, 1, 10);
  typeId = (
    await h.app.seating.createTicketType(ADMIN, {
      eventId,
      name: "Standing",
      price: 50_000,
      totalQuantity: 10,
    })
  ).id;
});
afterAll(() => h.close());

const BEST = `mutation($e: ID!, $k: String!, $t: String) {
  holdBestAvailable(eventId: $e, count: 2, idempotencyKey: $k, entryToken: $t) { id }
}`;
const RESERVE = `mutation($e: ID!, $i: [TicketItemInput!]!, $k: String!, $t: String) {
  reserveTickets(eventId: $e, items: $i, idempotencyKey: $k, entryToken: $t) { id }
}`;

async function refusal(query: string, variables: Record<string, unknown>, viewer = fan(9001)) {
  const error = (await h.call(query, { e: eventId, k: randomUUID(), ...variables }, viewer)).errors?.[0];
  return { code: error?.extensions?.code, reason: error?.extensions?.reason };
}

async function nothingTaken() {
  expect(
    await h.count("SELECT count(*) AS n FROM seats WHERE event_id = $1 AND status <> 'AVAILABLE'", [eventId]),
  ).toBe(0);
  expect(await h.count("SELECT count(*) AS n FROM reservations WHERE event_id = $1", [eventId])).toBe(0);
  expect(await h.count("SELECT available_quantity AS n FROM ticket_types WHERE id = $1", [typeId])).toBe(10);
}

describe("entry tokens in front of holds and reservations", () => {
  it("refuses every inventory mutation without a token: FORBIDDEN / ENTRY_TOKEN_REQUIRED", async () => {
    const required = { code: "FORBIDDEN", reason: "ENTRY_TOKEN_REQUIRED" };
    expect(await refusal(HOLD, { s: [seats[0]], t: null })).toEqual(required);
    expect(await refusal(BEST, { t: null })).toEqual(required);
    expect(await refusal(RESERVE, { i: [{ ticketTypeId: typeId, quantity: 1 }], t: null })).toEqual(required);
    await nothingTaken();
  });

  it("refuses another user's token and a token for another event: ENTRY_TOKEN_MISMATCH", async () => {
    const mismatch = { code: "FORBIDDEN", reason: "ENTRY_TOKEN_MISMATCH" };
    expect(await refusal(HOLD, { s: [seats[0]], t: await h.pass(fan(9002), eventId) })).toEqual(mismatch);
    expect(await refusal(HOLD, { s: [seats[0]], t: await h.pass(fan(9001), randomUUID()) })).toEqual(
      mismatch,
    );
    await nothingTaken();
  });

  it("refuses a forged or garbled token: ENTRY_TOKEN_INVALID", async () => {
    const forger = await importSigningKey((await generateSigningKeyPair()).privateKeyPem);
    const forged = await signEntryToken(
      { userId: (fan(9001) as AuthenticatedViewer).userId, eventId, admission: 1 },
      forger,
      600,
    );
    const invalid = { code: "FORBIDDEN", reason: "ENTRY_TOKEN_INVALID" };
    expect(await refusal(HOLD, { s: [seats[0]], t: forged.token })).toEqual(invalid);
    expect(await refusal(HOLD, { s: [seats[0]], t: "not-a-token" })).toEqual(invalid);
    await nothingTaken();
  });

  it("refuses an expired token: ENTRY_TOKEN_EXPIRED (the client joins the queue again)", async () => {
    const token = await h.pass(fan(9001), eventId, 1);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await refusal(HOLD, { s: [seats[0]], t: token })).toEqual({
      code: "FORBIDDEN",
      reason: "ENTRY_TOKEN_EXPIRED",
    });
    await nothingTaken();
  });

  it("lets the admitted user hold with their own token", async () => {
    const res = await h.call(
      HOLD,
      { e: eventId, s: [seats[1]], k: randomUUID(), t: await h.pass(fan(9001), eventId) },
      fan(9001),
    );
    expect(res.errors).toBeUndefined();
  });
});
