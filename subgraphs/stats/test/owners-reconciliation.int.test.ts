import { createEvent, PaymentConfirmed, TransferCompleted } from "@urr/events";
import { fan } from "../../payment/test/support/payment-harness.ts";
import { join } from "../../ticket/test/support/membership-fixtures.ts";
import { ADMIN as TICKET_ADMIN } from "../../ticket/test/support/ticket-harness.ts";
import { CANCEL_TRANSFER, list } from "../../ticket/test/support/transfer-fixtures.ts";
import { STATS_TOPICS } from "../src/views/performance.ts";
import { rounded } from "./support/dashboard-query.ts";
import { type OwnersCluster, startOwnersCluster } from "./support/owners-cluster.ts";
import {
  conversionFigures,
  dailyFigures,
  eventStatsFigures,
  overviewFigures,
  performanceFigures,
  realtimeFigures,
  revenueFigures,
  seatPreferenceFigures,
  userBehaviorFigures,
} from "./support/owners-figures.ts";
import { ADMIN, topicOf } from "./support/stats-harness.ts";

/**
 * Stats against the owners' own records (issue 14): a small on-sale through the real ticket and
 * payment subgraphs, their outboxes relayed as signed HTTP to each other and to stats — fan-club
 * joins (one renewed, one lapsed, one never paid), purchases (one by a member, with booking fees),
 * a replaced selection, a cancellation, an expiry, general admission paid and refunded, a repeat
 * buyer, a hold still running, a ticket resold and a listing withdrawn — then every event is sent
 * to stats again (a relay that lost its acknowledgements) and two are re-announced under new ids
 * (payment's reconciler, ticket's transfer re-announcement). Every figure of every view is then
 * recomputed from ticket's and payment's tables with SQL and must be equal.
 */
let cluster: OwnersCluster;

beforeAll(async () => {
  cluster = await startOwnersCluster();
});
afterAll(async () => {
  await cluster?.close();
});

const DASHBOARD = `query($e: ID!) { stats {
  overview { events holds activeHolds heldTickets purchases ticketsSold cancellations expiries refunds buyers payments
    grossRevenue refundedAmount netRevenue transfersCompleted activeMembers conversionRate
    cancellationsByReason { reason count } today { ...day } }
  daily(days: 2) { ...day }
  eventStats(sortBy: HOLDS, limit: 100) { eventId holds purchases cancellations expiries refunds ticketsSold revenue
    conversionRate admissions transfers }
  revenue(period: DAY, days: 2) { period from to total { ...money } buckets { ...money } }
  realtime { activeHolds heldTickets lastHour { holds purchases ticketsSold revenue admissions cancellations expiries }
    perMinute { minute holds purchases revenue admissions } }
  conversion(days: 2) { days steps { stage count rateFromPrevious } admissions holds purchases abandonedHolds overallRate }
  seatPreferences(eventId: $e) { section priceTier held sold revenue sellThrough }
  userBehavior(days: 2) { days activeUsers holders buyers repeatBuyers purchasesPerBuyer ticketsPerPurchase
    averageOrderValue holdOutcomes { holds purchased cancelled expired pending }
    byTier { tier buyers purchases tickets revenue } transferSellers transferBuyers newMembers }
  performance(hours: 1) { hours holdLatency { ...latency } purchaseLatency { ...latency }
    eventLag { topic events } rejectedConfirmations { reason count } }
} }
fragment day on DailyStats { date holds purchases cancellations expiries refunds ticketsSold revenue refundedAmount
  netRevenue newMembers renewals transfers admissions }
fragment money on RevenueBucket { periodStart payments gross refunds refunded net reservations transfers memberships }
fragment latency on LatencyStats { samples averageSeconds p50Seconds p95Seconds maxSeconds }`;

type Dashboard = {
  stats: {
    overview: Record<string, unknown> & { today: unknown };
    daily: { date: string }[];
    realtime: { perMinute: { minute: string }[] } & Record<string, unknown>;
  } & Record<string, unknown>;
};

/** The scripted on-sale; returns the event it sold. */
async function onSale(c: OwnersCluster): Promise<string> {
  const { ticket } = c;
  const artistId = await ticket.publishArtist({ membershipPrice: 30_000 });
  const eventId = await ticket.publishEvent({ artistId });
  const seats = await ticket.seatEvent(eventId, 2, 5);
  const seat = (i: number) => seats[i] ?? "";
  const standing = await ticket.app.seating.createTicketType(TICKET_ADMIN, {
    eventId,
    name: "Standing",
    price: 55_000,
    totalQuantity: 50,
  });

  // Fan clubs: a join, a join renewed early, a join whose term runs out, a join never paid.
  await c.payMembership(fan(91_001), artistId);
  await c.payMembership(fan(91_007), artistId);
  await c.payMembership(fan(91_007), artistId);
  await c.payMembership(fan(91_009), artistId);
  await ticket.sql.query(
    "UPDATE memberships SET expires_at = now() - interval '1 second' WHERE user_id = $1",
    [fan(91_009).userId],
  );
  expect(await ticket.app.membershipSweeper.sweepOnce()).toBe(1);
  await join(ticket, fan(91_010), artistId);

  // The sale. 91_001 is a SILVER member: booking fees on top of the face value.
  const member = await c.hold(fan(91_001), eventId, [seat(0), seat(1)]);
  await c.buy(fan(91_001), member);
  await c.hold(fan(91_002), eventId, [seat(2)]);
  await c.buy(fan(91_002), await c.hold(fan(91_002), eventId, [seat(3), seat(4)])); // replaces the first
  await c.cancel(fan(91_003), await c.hold(fan(91_003), eventId, [seat(5)]));
  const lapsing = await c.hold(fan(91_004), eventId, [seat(6)]);
  await ticket.sql.query("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = $1", [
    lapsing,
  ]);
  expect((await ticket.app.sweeper.sweepOnce()).reservations).toBe(1);
  const standingRoom = await c.reserve(fan(91_005), eventId, standing.id, 3);
  await c.refund(fan(91_005), await c.buy(fan(91_005), standingRoom), standingRoom);
  await c.buy(fan(91_001), await c.hold(fan(91_001), eventId, [seat(8)])); // a second purchase
  await c.hold(fan(91_006), eventId, [seat(7)]); // still running

  // Resale: the member sells one seat on to 91_008, lists the other and takes it back.
  const ticketOf = async (seatId: string) =>
    (await ticket.sql.query<{ id: string }>("SELECT id FROM tickets WHERE seat_id = $1", [seatId]))[0]?.id ??
    "";
  await c.buyListing(fan(91_008), (await list(ticket, fan(91_001), await ticketOf(seat(0)))).id);
  const withdrawn = await list(ticket, fan(91_001), await ticketOf(seat(1)));
  expect((await ticket.call(CANCEL_TRANSFER, { id: withdrawn.id }, fan(91_001))).errors).toBeUndefined();
  return eventId;
}

/**
 * Everything again (reversed), then two re-announcements under new ids, as the owners send them;
 * returns the re-announcements per topic (stats applies them as events, the owners' outboxes do
 * not hold them).
 */
async function redeliver(c: OwnersCluster): Promise<Record<string, number>> {
  const published = await c.published();
  await c.stats.deliver([...published].reverse());
  const confirmation = published.find((e) => e.type === PaymentConfirmed.type);
  const completion = published.find((e) => e.type === TransferCompleted.type);
  if (!confirmation || !completion) throw new Error("the on-sale published no confirmation or completion");
  const again = [
    createEvent(
      PaymentConfirmed,
      confirmation.aggregateId,
      PaymentConfirmed.payload.parse(confirmation.payload),
      {
        sagaId: confirmation.sagaId,
      },
    ),
    createEvent(
      TransferCompleted,
      completion.aggregateId,
      TransferCompleted.payload.parse(completion.payload),
    ),
  ];
  await c.stats.deliver(again);
  const perTopic: Record<string, number> = {};
  for (const event of again) perTopic[topicOf(event)] = (perTopic[topicOf(event)] ?? 0) + 1;
  return perTopic;
}

it("after a scripted on-sale, every figure of every view equals what ticket's and payment's own tables say", async () => {
  const { ticket, payment, stats } = cluster;
  const eventId = await onSale(cluster);
  const published = await cluster.settle();
  const reannounced = await redeliver(cluster);
  expect(await stats.count("SELECT count(*) AS n FROM processed_events")).toBe(
    published + Object.values(reannounced).reduce((n, k) => n + k, 0),
  );

  const res = await stats.call<Dashboard>(DASHBOARD, { e: eventId }, ADMIN);
  expect(res.errors).toBeUndefined();
  const views = res.data?.stats;
  if (!views) throw new Error("no dashboard");
  const owners = { ticket: ticket.sql, payment: payment.sql };
  const days = views.daily.map((d) => d.date);
  expect(days).toHaveLength(2);

  const { today, ...overview } = views.overview;
  const expectedOverview = await overviewFigures(owners);
  expect(rounded(overview)).toEqual(rounded(expectedOverview));
  // The script really took each path (so the equalities are not 0 = 0).
  expect(expectedOverview).toMatchObject({
    holds: 8,
    activeHolds: 1,
    purchases: 4,
    cancellations: 2,
    expiries: 1,
    refunds: 1,
    transfersCompleted: 1,
    activeMembers: 2,
  });
  const daily = await dailyFigures(owners, days);
  expect(views.daily).toEqual(daily);
  expect(today).toEqual(daily[daily.length - 1]);
  expect(daily.reduce((n, d) => n + d.renewals, 0)).toBe(1);

  expect(rounded(views.eventStats)).toEqual(rounded(await eventStatsFigures(owners)));
  expect(views.revenue).toEqual(await revenueFigures(owners, days));
  const minutes = views.realtime.perMinute.map((m) => new Date(m.minute));
  expect({
    ...views.realtime,
    perMinute: views.realtime.perMinute.map((m) => ({ ...m, minute: new Date(m.minute).toISOString() })),
  }).toEqual(await realtimeFigures(owners, minutes));
  expect(rounded(views.conversion)).toEqual(rounded(await conversionFigures(owners, days)));
  expect(rounded(views.seatPreferences)).toEqual(rounded(await seatPreferenceFigures(owners, eventId)));
  expect(rounded(views.userBehavior)).toEqual(rounded(await userBehaviorFigures(owners, days)));
  expect(rounded(views.performance)).toEqual(
    rounded(await performanceFigures(owners, STATS_TOPICS, reannounced)),
  );
});
