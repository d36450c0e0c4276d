import { createEvent, QueueAdmitted } from "@urr/events";
import { DASHBOARD } from "./support/dashboard-query.ts";
import { onSaleEvents, redelivered, shuffled } from "./support/onsale-events.ts";
import { NOW } from "./support/onsale-facts.ts";
import { ADMIN, FAN, type StatsHarness, startStatsHarness } from "./support/stats-harness.ts";

/**
 * The projection is a fold of its events: dropped and rebuilt from the journal it gives the same
 * figures, and a second instance on an empty database fed the same events in another order gives
 * them too. A rebuild is one transaction, so an event arriving meanwhile is applied once, on top.
 */
let live: StatsHarness;
let fresh: StatsHarness;
const events = onSaleEvents();
type Stats = { stats: Record<string, unknown> };

beforeAll(async () => {
  [live, fresh] = await Promise.all([
    startStatsHarness({ now: () => NOW }),
    startStatsHarness({ now: () => NOW }),
  ]);
  await live.deliver(redelivered(events, 3));
});
afterAll(async () => {
  await live?.close();
  await fresh?.close();
});

async function snapshot(h: StatsHarness) {
  const res = await h.call<Stats>(DASHBOARD, { days: 2, hours: 24 }, ADMIN);
  expect(res.errors).toBeUndefined();
  return res.data?.stats;
}

const REBUILD = "mutation { rebuildStats { eventsReplayed tookMs } }";

it("a dropped projection rebuilt from the journal gives exactly the live figures", async () => {
  const before = await snapshot(live);
  const factsBefore = await live.sql.query("SELECT * FROM stats_reservations ORDER BY reservation_id");
  // The projection is dropped (and what is left of it damaged): only the journal remains.
  await live.sql.exec(`TRUNCATE processed_events, stats_reservation_lines, stats_reservations, stats_admissions;
    UPDATE stats_payments SET amount = 1`);
  const dropped = (await snapshot(live))?.overview as { holds: number; grossRevenue: number };
  expect([dropped.holds, dropped.grossRevenue]).toEqual([0, 11]);
  const res = await live.call<{ rebuildStats: { eventsReplayed: number } }>(REBUILD, {}, ADMIN);
  expect(res.errors).toBeUndefined();
  expect(res.data?.rebuildStats.eventsReplayed).toBe(events.length);
  expect(await snapshot(live)).toEqual(before);
  expect(await live.sql.query("SELECT * FROM stats_reservations ORDER BY reservation_id")).toEqual(
    factsBefore,
  );
});

it("another instance fed the same events in reverse and scrambled orders agrees on every figure", async () => {
  await fresh.deliver([...events].reverse(), 7);
  await fresh.deliver(shuffled(events, 99), 11);
  const ours = await snapshot(fresh);
  const theirs = await snapshot(live);
  // Lag is measured when applied; both instances' clocks are pinned, so even it agrees here.
  expect(ours).toEqual(theirs);
});

it("an event delivered during a rebuild is applied once, after it", async () => {
  const admission = createEvent(QueueAdmitted, "00000001-0000-4000-8000-000000000001", {
    eventId: "00000001-0000-4000-8000-000000000001",
    userId: "00000002-0000-4000-8000-000000000099",
    queueNumber: 99,
    admittedAt: NOW.toISOString(),
  });
  const [rebuilt, outcome] = await Promise.all([
    live.app.projection.rebuild(),
    new Promise((resolve) => setTimeout(resolve, 5)).then(() => live.app.projection.handle(admission)),
  ]);
  expect(outcome).toBe("applied");
  expect(rebuilt.eventsReplayed === events.length || rebuilt.eventsReplayed === events.length + 1).toBe(true);
  expect(await live.count("SELECT count(*) AS n FROM stats_admissions WHERE queue_number = 99")).toBe(1);
  expect(await live.app.projection.handle(structuredClone(admission))).toBe("duplicate");
  // And a rebuild after it still has it.
  await live.app.projection.rebuild();
  expect(await live.count("SELECT count(*) AS n FROM stats_admissions WHERE queue_number = 99")).toBe(1);
  expect(await live.count("SELECT count(*) AS n FROM processed_events")).toBe(events.length + 1);
});

it("only an admin may rebuild", async () => {
  const res = await live.call(REBUILD, {}, FAN);
  expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  expect((await live.call(REBUILD)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
});
