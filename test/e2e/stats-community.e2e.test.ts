import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import {
  type E2EStack,
  enterQueue,
  fullEvent,
  type Gql,
  payWithSimulatedProvider,
  registerFan,
  signIn,
  startE2EStack,
} from "./support/stack.ts";

/**
 * Stats and community through the gateway, all seven subgraphs as real processes and events as
 * signed HTTP between them. A fan's purchase on the normal on-sale path (queue → hold → simulated
 * payment) shows in the admin's `stats { overview realtime }` by exactly what was paid and bought,
 * and a fan asking for the dashboards is refused at its path. A fan-club member (joined and paid
 * through ticket and payment, known to community from membership-events) may post and comment on
 * the artist's board; a fan without a membership may not (MEMBERSHIP_REQUIRED).
 */
let stack: E2EStack;
let admin: Gql;
beforeAll(async () => {
  stack = await startE2EStack();
  admin = await signIn(stack, "admin@urr.test", "admin-password-123");
}, 120_000);
afterAll(() => stack?.stop());

/**
 * Polls `read` until it equals `expected` (events reach stats and community asynchronously), then
 * asserts it, so a timeout fails with the difference between the last reading and the expectation.
 */
async function settles<T>(read: () => Promise<T>, expected: T, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let actual = await read();
  while (!isDeepStrictEqual(actual, expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    actual = await read();
  }
  expect(actual).toEqual(expected);
}

const FIGURES = `{ stats {
  overview { events holds activeHolds heldTickets purchases ticketsSold buyers payments grossRevenue refundedAmount netRevenue activeMembers }
  realtime { activeHolds heldTickets lastHour { holds purchases ticketsSold revenue admissions } perMinute { purchases revenue } }
} }`;

interface Overview {
  events: number;
  holds: number;
  activeHolds: number;
  heldTickets: number;
  purchases: number;
  ticketsSold: number;
  buyers: number;
  payments: number;
  grossRevenue: number;
  refundedAmount: number;
  netRevenue: number;
  activeMembers: number;
}
interface TimeWindow {
  holds: number;
  purchases: number;
  ticketsSold: number;
  revenue: number;
  admissions: number;
}
interface Figures {
  overview: Overview;
  realtime: {
    activeHolds: number;
    heldTickets: number;
    lastHour: TimeWindow;
    /** perMinute summed: the purchase's minute may have scrolled on, not out of the 15. */
    last15Minutes: { purchases: number; revenue: number };
  };
}

/** The admin's figures, as one object to compare. */
async function figures(): Promise<Figures> {
  const res = await admin(FIGURES);
  if (res.errors || !res.data) throw new Error(`stats: ${JSON.stringify(res.errors)}`);
  const { overview, realtime } = res.data.stats;
  const perMinute: { purchases: number; revenue: number }[] = realtime.perMinute;
  return {
    overview,
    realtime: {
      activeHolds: realtime.activeHolds,
      heldTickets: realtime.heldTickets,
      lastHour: realtime.lastHour,
      last15Minutes: {
        purchases: perMinute.reduce((sum, m) => sum + m.purchases, 0),
        revenue: perMinute.reduce((sum, m) => sum + m.revenue, 0),
      },
    },
  };
}

const HOLD = `mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) {
  holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) { id totalAmount items { seat { id } } }
}`;

it("a purchase on the on-sale path shows in stats' overview and realtime by exactly what was paid; a fan is refused the dashboards", async () => {
  const { eventId, seatIds } = await fullEvent(admin, "Stats Night");
  const fan = (await registerFan(stack, "stats-buyer")).gql;
  const before = await figures();

  const entryToken = await enterQueue(fan, eventId);
  const held = await fan(HOLD, { e: eventId, s: seatIds.slice(0, 2), k: randomUUID(), t: entryToken });
  const reservation = held.data?.holdSeats;
  if (!reservation) throw new Error(`hold: ${JSON.stringify(held.errors)}`);
  expect(reservation.items).toHaveLength(2);
  const paid = await payWithSimulatedProvider(fan, "RESERVATION", reservation.id);
  expect(paid).toBe(reservation.totalAmount);
  expect(paid).toBe(2 * 1000); // two seats of tier R at 1,000; no booking fee without a fan club

  const o = before.overview;
  const r = before.realtime;
  await settles(figures, {
    overview: {
      ...o,
      events: o.events + 1,
      holds: o.holds + 1,
      purchases: o.purchases + 1,
      ticketsSold: o.ticketsSold + 2,
      buyers: o.buyers + 1,
      payments: o.payments + 1,
      grossRevenue: o.grossRevenue + paid,
      netRevenue: o.netRevenue + paid,
    },
    realtime: {
      activeHolds: r.activeHolds,
      heldTickets: r.heldTickets,
      lastHour: {
        holds: r.lastHour.holds + 1,
        purchases: r.lastHour.purchases + 1,
        ticketsSold: r.lastHour.ticketsSold + 2,
        revenue: r.lastHour.revenue + paid,
        admissions: r.lastHour.admissions + 1,
      },
      last15Minutes: {
        purchases: r.last15Minutes.purchases + 1,
        revenue: r.last15Minutes.revenue + paid,
      },
    },
  });

  const refused = await fan("{ stats { overview { purchases } } }");
  expect(refused.status).toBe(200);
  expect(refused.data?.stats ?? null).toBeNull();
  expect(refused.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["stats"], "FORBIDDEN"]]);
}, 120_000);

it("a paid fan-club member posts and comments on the artist's board; a fan without a membership is refused", async () => {
  const member = (await registerFan(stack, "board-member")).gql;
  const outsider = (await registerFan(stack, "board-outsider")).gql;
  const artist = await admin(
    `mutation { createArtist(input: { name: "Board Artist ${randomUUID().slice(0, 8)}" }) { id } }`,
  );
  const artistId: string = artist.data?.createArtist.id;
  const CAN_POST = "query($a: ID!) { artist(id: $a) { viewerCanPost } }";
  expect((await member(CAN_POST, { a: artistId })).data?.artist.viewerCanPost).toBe(false);
  const before = (await figures()).overview;

  // Ticket learns the artist from catalog-events; joining opens the membership's first order.
  const deadline = Date.now() + 15_000;
  let joined = await member("mutation($a: ID!) { joinMembership(artistId: $a) { id openOrder { id } } }", {
    a: artistId,
  });
  while (!joined.data?.joinMembership && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    joined = await member("mutation($a: ID!) { joinMembership(artistId: $a) { id openOrder { id } } }", {
      a: artistId,
    });
  }
  expect(joined.errors).toBeUndefined();
  const membershipPaid = await payWithSimulatedProvider(
    member,
    "MEMBERSHIP",
    joined.data?.joinMembership.openOrder.id,
  );
  expect(membershipPaid).toBe(30_000); // the artist's default membershipPrice

  // Ticket activates it on payment-events and announces it on membership-events to community.
  await settles(async () => (await member(CAN_POST, { a: artistId })).data?.artist.viewerCanPost, true);
  expect((await outsider(CAN_POST, { a: artistId })).data?.artist.viewerCanPost).toBe(false);

  const CREATE_POST = `mutation($a: ID!, $i: CreatePostInput!) { createPost(artistId: $a, input: $i) { id title } }`;
  const posted = await member(CREATE_POST, {
    a: artistId,
    i: { title: "First!", body: "See you there\nrow 1" },
  });
  expect(posted.errors).toBeUndefined();
  const postId: string = posted.data?.createPost.id;
  expect(posted.data?.createPost.title).toBe("First!");

  const refused = await outsider(CREATE_POST, { a: artistId, i: { title: "Me too", body: "no club" } });
  expect(refused.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.reason])).toEqual([
    [["createPost"], "FORBIDDEN", "MEMBERSHIP_REQUIRED"],
  ]);

  const board = await outsider(
    "query($a: ID!) { artist(id: $a) { postCount board(first: 10) { edges { node { id title } } } } }",
    { a: artistId },
  );
  expect(board.errors).toBeUndefined();
  expect(board.data?.artist).toEqual({
    postCount: 1,
    board: { edges: [{ node: { id: postId, title: "First!" } }] },
  });

  const COMMENT =
    "mutation($p: ID!, $b: String!) { createComment(postId: $p, body: $b) { post { id commentCount } } }";
  const commented = await member(COMMENT, { p: postId, b: "Can't wait" });
  expect(commented.errors).toBeUndefined();
  expect(commented.data?.createComment.post).toEqual({ id: postId, commentCount: 1 });
  const outsiderComment = await outsider(COMMENT, { p: postId, b: "let me in" });
  expect(outsiderComment.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.reason])).toEqual([
    [["createComment"], "FORBIDDEN", "MEMBERSHIP_REQUIRED"],
  ]);

  // The same membership reached stats on membership-events and its payment on payment-events.
  await settles(async () => (await figures()).overview, {
    ...before,
    payments: before.payments + 1,
    grossRevenue: before.grossRevenue + membershipPaid,
    netRevenue: before.netRevenue + membershipPaid,
    activeMembers: before.activeMembers + 1,
  });
}, 120_000);
