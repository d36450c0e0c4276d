import { randomUUID } from "node:crypto";
import { createEvent, QueueAdmitted } from "@urr/events";
import { REALTIME } from "./support/dashboard-query.ts";
import { ADMIN, FAN, type StatsHarness, startStatsHarness } from "./support/stats-harness.ts";

/**
 * Admin only, checked by stats itself (the gateway's @requiresScopes is the first gate): every
 * view, Event.stats, the rebuild and the subscription refuse other accounts with FORBIDDEN and
 * signed-out callers with UNAUTHENTICATED; bad arguments are BAD_USER_INPUT naming the argument.
 * statsUpdates pushes the realtime view when events are applied.
 */
let h: StatsHarness;
beforeAll(async () => {
  h = await startStatsHarness();
});
afterAll(() => h.close());

const VIEWS = [
  "overview { holds }",
  "daily(days: 3) { date }",
  "eventStats { eventId }",
  "revenue(period: WEEK) { total { gross } }",
  "realtime { activeHolds }",
  "conversion { steps { stage } }",
  "seatPreferences { priceTier }",
  "userBehavior { buyers }",
  "performance { hours }",
];
const code = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  res.errors?.[0]?.extensions?.code;

it.each(VIEWS)("%s: admins read it, fans are FORBIDDEN, the signed-out UNAUTHENTICATED", async (view) => {
  const query = `{ stats { ${view} } }`;
  const admin = await h.call(query, {}, ADMIN);
  expect(admin.errors).toBeUndefined();
  const fan = await h.call(query, {}, FAN);
  expect(code(fan)).toBe("FORBIDDEN");
  expect(fan.data).toBeNull();
  expect(code(await h.call(query))).toBe("UNAUTHENTICATED");
});

it("Event.stats through _entities is refused to fans", async () => {
  const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Event { id stats { holds } } } }`;
  const r = [{ __typename: "Event", id: randomUUID() }];
  expect((await h.call(query, { r }, ADMIN)).errors).toBeUndefined();
  const fan = await h.call<{ _entities: { stats: unknown }[] }>(query, { r }, FAN);
  expect(code(fan)).toBe("FORBIDDEN");
  expect(fan.data?._entities[0]?.stats ?? null).toBeNull();
});

it.each([
  ["daily(days: 0) { date }", "days"],
  ["daily(days: 367) { date }", "days"],
  ["eventStats(limit: 101) { eventId }", "limit"],
  ["revenue(days: -1) { from }", "days"],
  ["conversion(days: 400) { days }", "days"],
  ["userBehavior(days: 0) { days }", "days"],
  ['seatPreferences(eventId: "A1") { priceTier }', "eventId"],
  ["performance(hours: 721) { hours }", "hours"],
])("%s is BAD_USER_INPUT naming %s", async (view, field) => {
  const res = await h.call(`{ stats { ${view} } }`, {}, ADMIN);
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
});

it("publishes its schema for composition", async () => {
  const res = await h.call<{ _service: { sdl: string } }>("{ _service { sdl } }");
  expect(res.data?._service.sdl).toContain("type StatsDashboard");
  expect(res.data?._service.sdl).toMatch(/type Event\s+@key\(fields: "id"\)/);
});

it("statsUpdates sends the realtime view, then again after events are applied; fans are refused", async () => {
  const seen: { data?: { statsUpdates: { lastHour: { admissions: number } } } }[] = [];
  const stop = await h.subscribe(
    `subscription { statsUpdates { ${REALTIME} } }`,
    ADMIN,
    (r: (typeof seen)[number]) => seen.push(r),
  );
  const refused: { errors?: { extensions?: { code?: string } }[] }[] = [];
  const stopFan = await h.subscribe(
    "subscription { statsUpdates { activeHolds } }",
    FAN,
    (r: (typeof refused)[number]) => refused.push(r),
  );
  try {
    await until(() => seen.length >= 1 && refused.length >= 1);
    expect(seen[0]?.data?.statsUpdates.lastHour.admissions).toBe(0);
    expect(refused[0]?.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const eventId = randomUUID();
    for (let n = 1; n <= 3; n++) {
      const admittedAt = new Date().toISOString();
      await h.app.projection.handle(
        createEvent(QueueAdmitted, eventId, { eventId, userId: randomUUID(), queueNumber: n, admittedAt }),
      );
    }
    await until(() => seen.at(-1)?.data?.statsUpdates.lastHour.admissions === 3);
  } finally {
    await stop();
    await stopFan();
  }
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
