import { DASHBOARD, rounded } from "./support/dashboard-query.ts";
import { onSaleEvents, redelivered } from "./support/onsale-events.ts";
import * as expected from "./support/onsale-expected.ts";
import { EVENT, NOW } from "./support/onsale-facts.ts";
import { ADMIN, type StatsHarness, startStatsHarness } from "./support/stats-harness.ts";

/**
 * After a scripted on-sale (holds, purchases, cancellations, a replacing hold, an expiry with a
 * late payment refunded, a buyer's refund, resales, memberships, admissions over two days), every
 * figure of every view equals what the facts say (onsale-expected.ts computes them from the facts
 * with plain arithmetic). The events arrive through the signed HTTP receiver, scrambled, a third of
 * them three times.
 */
let h: StatsHarness;
const events = onSaleEvents();
type Dashboard = { stats: Record<string, unknown> };

beforeAll(async () => {
  h = await startStatsHarness({ now: () => NOW });
  await h.deliver(redelivered(events, 14));
});
afterAll(() => h.close());

async function dashboard(days: number, hours = 24) {
  const res = await h.call<Dashboard>(DASHBOARD, { days, hours }, ADMIN);
  expect(res.errors).toBeUndefined();
  return rounded(res.data?.stats ?? {});
}

it("applies each event once however often it was delivered", async () => {
  expect(await h.count("SELECT count(*) AS n FROM processed_events")).toBe(events.length);
  expect(await h.count("SELECT count(*) AS n FROM event_journal")).toBe(events.length);
});

it("every view over two days equals the figures computed from the facts", async () => {
  const stats = await dashboard(2);
  expect(stats.overview).toEqual(rounded(expected.overview()));
  expect(stats.daily).toEqual(rounded(expected.daily(2)));
  expect(stats.eventStats).toEqual(rounded(expected.rankedByRevenue()));
  expect(stats.revenue).toEqual(rounded(expected.revenueByDay(2)));
  expect(stats.realtime).toEqual(rounded(expected.realtime()));
  expect(stats.conversion).toEqual(rounded(expected.conversion(2)));
  expect(stats.seatPreferences).toEqual(rounded(expected.seatPreferences()));
  expect(stats.userBehavior).toEqual(rounded(expected.userBehavior(2)));
  expect(stats.performance).toEqual(rounded(expected.performance(24, events)));
});

it("spans of one day leave yesterday out", async () => {
  const stats = await dashboard(1, 1);
  expect(stats.daily).toEqual(rounded(expected.daily(1)));
  expect(stats.conversion).toEqual(rounded(expected.conversion(1)));
  expect(stats.userBehavior).toEqual(rounded(expected.userBehavior(1)));
  expect(stats.revenue).toEqual(rounded(expected.revenueByDay(1)));
  expect(stats.performance).toEqual(rounded(expected.performance(1, events)));
});

it("the expected figures themselves match a hand count of the script", () => {
  const o = expected.overview();
  expect([o.holds, o.purchases, o.cancellations, o.expiries, o.refunds, o.activeHolds]).toEqual([
    9, 5, 2, 1, 1, 1,
  ]);
  expect([o.ticketsSold, o.buyers, o.payments, o.grossRevenue, o.refundedAmount]).toEqual([
    7, 4, 11, 987_000, 242_000,
  ]);
  expect(expected.conversion(1).steps.map((s) => s.count)).toEqual([7, 6, 6, 3]);
  expect(expected.performance(24, events).holdLatency).toMatchObject({
    samples: 6,
    p50Seconds: 180,
    p95Seconds: 375,
  });
  expect(expected.seatPreferences().map((s) => [s.section, s.priceTier, s.held, s.sold])).toEqual([
    ["A", "R", 5, 3],
    [null, "Standing", 4, 3],
    ["B", "S", 4, 1],
  ]);
});

it("weekly and monthly revenue put the two days in one bucket starting on Monday and on the 1st", async () => {
  const query = `query($p: RevenuePeriod!) { stats { revenue(period: $p, days: 2) { from to total { gross net }
    buckets { periodStart payments gross refunded net } } } }`;
  const day = expected.revenueByDay(2);
  for (const [period, start] of [
    ["WEEK", "2026-11-30"],
    ["MONTH", "2026-12-01"],
  ] as const) {
    const res = await h.call<{ stats: { revenue: unknown } }>(query, { p: period }, ADMIN);
    expect(res.data?.stats.revenue).toEqual({
      from: day.from,
      to: day.to,
      total: { gross: day.total.gross, net: day.total.net },
      buckets: [
        {
          periodStart: start,
          payments: day.total.payments,
          gross: day.total.gross,
          refunded: day.total.refunded,
          net: day.total.net,
        },
      ],
    });
  }
});

it("one event's seat preferences, and Event.stats through _entities, agree with the facts", async () => {
  const prefs = await h.call<{ stats: { seatPreferences: unknown } }>(
    `query($e: ID) { stats { seatPreferences(eventId: $e) { section priceTier held sold revenue sellThrough } } }`,
    { e: EVENT.standing },
    ADMIN,
  );
  expect(rounded(prefs.data?.stats.seatPreferences)).toEqual(
    rounded(expected.seatPreferences(EVENT.standing)),
  );

  const entities = await h.call<{ _entities: unknown[] }>(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Event { id stats {
      eventId holds purchases cancellations expiries refunds ticketsSold revenue conversionRate admissions transfers
      event { id } } } } }`,
    {
      r: [EVENT.standing, EVENT.seated, "00000000-0000-4000-8000-0000000000ff", "not-a-uuid"].map((id) => ({
        __typename: "Event",
        id,
      })),
    },
    ADMIN,
  );
  expect(entities.errors).toBeUndefined();
  expect(rounded(entities.data?._entities)).toEqual(
    rounded([
      {
        id: EVENT.standing,
        stats: { ...expected.eventStats(EVENT.standing), event: { id: EVENT.standing } },
      },
      { id: EVENT.seated, stats: { ...expected.eventStats(EVENT.seated), event: { id: EVENT.seated } } },
      { id: "00000000-0000-4000-8000-0000000000ff", stats: null },
      { id: "not-a-uuid", stats: null },
    ]),
  );
});
