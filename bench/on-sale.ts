/**
 * A hot on-sale of one event: 2,000 seats, 1,000 buyers arriving at once through the gateway. Each
 * joins the waiting room (with room for all: the queue itself is measured by live-queue), holds 2
 * adjacent seats near the stage with the entry token (heavy overlap), retrying elsewhere on
 * CONFLICT, then buys what they hold: preparePayment → confirmPayment (simulated provider) → the
 * reservation confirmed by ticket from payment-events. Prints holds and completed purchases per second, p50/p99
 * per step, the event lag (payment's outbox write → ticket's confirmation), conflicts and a final
 * check that no seat is held or sold twice; then the same row-lock transaction run straight on
 * PostgreSQL (the ceiling) and the ratios. Writes a chart: holds and purchases per half second over
 * the stampede beside the ceiling's, hold latency over it, and p50/p99 per step.
 *
 *   npm run bench -- on-sale          (BENCH_BUYERS, BENCH_SEATS_PER_ROW to change the size)
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { connectPgRunner } from "@urr/db";
import { graphqlRequest } from "@urr/testkit";
import pg from "pg";
import { machineLine, writeChart } from "./lib/chart-file.ts";
import { type Interval, percentile, post, rssMiB, seededRandom, Timeline } from "./lib/load.ts";
import { startBenchStack, untilAccepted } from "./lib/stack.ts";

const BUYERS = Number(process.env.BENCH_BUYERS || 1000);
const SECTIONS = ["A", "B", "C", "D"];
const ROWS = 20;
const SEATS_PER_ROW = Number(process.env.BENCH_SEATS_PER_ROW || 25); // 4 × 20 × 25 = 2,000 seats
const ATTEMPTS = 3;

interface Seat {
  id: string;
  section: string;
  row: number;
  number: number;
}

/** Buyers crowd the front: a seat index drawn with a strong bias to low rows. */
function pickPair(seats: Seat[][], rng: () => number): Seat[] {
  const row = Math.min(ROWS - 1, Math.floor(ROWS * rng() ** 3));
  const section = SECTIONS[Math.floor(rng() * SECTIONS.length)] ?? "A";
  const line = seats.find((r) => r[0]?.section === section && r[0]?.row === row) ?? seats[0] ?? [];
  const start = Math.floor(rng() * (line.length - 1));
  return line.slice(start, start + 2);
}

async function main(): Promise<void> {
  // BENCH_PROFILE=<dir> BENCH_PROFILE_SERVICE=<name> writes a V8 CPU profile of that service.
  const stack = await startBenchStack({
    extraEnv: {
      ticket: { DATABASE_POOL_SIZE: "30", OUTBOX_RELAY_INTERVAL_MS: "50" },
      payment: { OUTBOX_RELAY_INTERVAL_MS: "50" },
      // Every buyer is admitted at once: this benchmark measures buying, live-queue the waiting room.
      queue: { QUEUE_THRESHOLD: String(BUYERS + 10) },
    },
    ...(process.env.BENCH_PROFILE
      ? {
          nodeArgs: {
            service: process.env.BENCH_PROFILE_SERVICE || "ticket",
            args: ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`],
          },
        }
      : {}),
  });
  const { plan, databases, gateway, gql, tokenFor } = stack;
  const admin = stack.adminToken;
  try {
    const eventId = await stack.publishEvent("Bench On-sale", "Bench Dome");
    const layout = await gql(
      "mutation($i: CreateSeatLayoutInput!) { createSeatLayout(input: $i) { id } }",
      {
        i: {
          name: "Bench Dome",
          definition: {
            priceTiers: [{ name: "R", price: 132000 }],
            sections: SECTIONS.map((name, i) => ({
              name,
              priceTier: "R",
              x: i * 30,
              y: 0,
              rows: Array.from({ length: ROWS }, (_, r) => ({ label: String(r + 1), seats: SEATS_PER_ROW })),
            })),
          },
        },
      },
      admin,
    );
    // Ticket and queue learn the event from catalog-events.
    await untilAccepted(() =>
      gql(
        "mutation($e: ID!, $l: ID!) { generateSeats(eventId: $e, layoutId: $l) { seatsCreated } }",
        { e: eventId, l: layout.createSeatLayout.id },
        admin,
      ),
    );
    await untilAccepted(() =>
      gql("query($e: ID!) { queueAdmin(eventId: $e) { threshold } }", { e: eventId }, admin),
    );
    const listed = await graphqlRequest<{
      events: {
        edges: { node: { seats: { id: string; section: string; row: string; number: number }[] } }[];
      };
    }>(
      plan.gatewayUrl,
      `{ events(filter: { search: "Bench Dome" }) { edges { node { seats { id section row number } } } } }`,
    );
    const seatList = listed.data?.events.edges[0]?.node.seats ?? [];
    const rows = new Map<string, Seat[]>();
    for (const s of seatList) {
      const seat = { id: s.id, section: s.section, row: Number(s.row) - 1, number: s.number };
      rows.set(`${seat.section}|${seat.row}`, [...(rows.get(`${seat.section}|${seat.row}`) ?? []), seat]);
    }
    const seats = [...rows.values()].map((r) => r.sort((a, b) => a.number - b.number));
    const buyers = await Promise.all(Array.from({ length: BUYERS }, () => tokenFor(randomUUID(), "USER")));

    // The stampede: every buyer at once, each up to 3 attempts.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
    const url = new URL(plan.gatewayUrl);
    const latencies: number[] = [];
    const steps = { join: [] as number[], prepare: [] as number[], confirm: [] as number[] };
    let paid = 0;
    let holds = 0;
    let conflicts = 0;
    let errors = 0;
    const rng = seededRandom(42);
    const JOIN = "mutation($e: ID!) { joinQueue(eventId: $e) { state entryToken } }";
    const HOLD =
      "mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) { holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) { id } }";
    const PREPARE =
      "mutation($r: ID!) { preparePayment(kind: RESERVATION, referenceId: $r) { orderId amount } }";
    const CONFIRM =
      "mutation($o: String!, $k: String!, $a: Int!) { confirmPayment(orderId: $o, paymentKey: $k, amount: $a) { outcome } }";
    /** One timed step of the purchase; the parsed data, or null on an error. */
    const step = async (into: number[], query: string, variables: Record<string, unknown>, token: string) => {
      const t0 = performance.now();
      const res = await post(agent, url, JSON.stringify({ query, variables }), {
        authorization: `Bearer ${token}`,
      });
      into.push(performance.now() - t0);
      // biome-ignore lint/suspicious/noExplicitAny: ad hoc response reading
      const parsed = JSON.parse(res.body) as { data?: Record<string, any>; errors?: unknown[] };
      return parsed.errors ? null : (parsed.data ?? null);
    };
    const buy = async (reservationId: string, token: string) => {
      const prepared = await step(steps.prepare, PREPARE, { r: reservationId }, token);
      if (!prepared) return void errors++;
      const { orderId, amount } = prepared.preparePayment;
      const confirmed = await step(
        steps.confirm,
        CONFIRM,
        { o: orderId, k: `pk_${orderId}`, a: amount },
        token,
      );
      if (confirmed?.confirmPayment.outcome === "CONFIRMED") {
        paid++;
        timelines.paid.record(0);
      } else errors++;
    };
    const started = performance.now();
    // Half-second intervals: the stampede lasts seconds, not minutes.
    const timelines = {
      holds: new Timeline(started, 500),
      attempts: new Timeline(started, 500),
      paid: new Timeline(started, 500),
    };
    await Promise.all(
      buyers.map(async (token) => {
        // The waiting room first: with room for everyone, each buyer is admitted on joining.
        const joined = await step(steps.join, JOIN, { e: eventId }, token);
        const pass = joined?.joinQueue.entryToken as string | undefined;
        if (!pass) return void errors++;
        for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
          const pair = pickPair(seats, rng).map((s) => s.id);
          const body = JSON.stringify({
            query: HOLD,
            variables: { e: eventId, s: pair, k: randomUUID(), t: pass },
          });
          const t0 = performance.now();
          const res = await post(agent, url, body, { authorization: `Bearer ${token}` }).catch(() => ({
            status: 0,
            body: "",
          }));
          latencies.push(performance.now() - t0);
          timelines.attempts.record(performance.now() - t0);
          if (res.body.includes('"holdSeats":{')) {
            holds++;
            timelines.holds.record(performance.now() - t0);
            await buy(
              (JSON.parse(res.body) as { data: { holdSeats: { id: string } } }).data.holdSeats.id,
              token,
            );
            return;
          }
          if (res.body.includes('"CONFLICT"')) conflicts++;
          else errors++;
        }
      }),
    );
    const ended = performance.now();
    const seconds = (ended - started) / 1000;
    agent.destroy();
    latencies.sort((a, b) => a - b);
    for (const list of Object.values(steps)) list.sort((a, b) => a - b);
    const gatewayRss = rssMiB(gateway.child.pid);

    // Completion: ticket confirms each paid reservation from payment-events.
    const ticketSql = await connectPgRunner(databases[2]?.url ?? "");
    const paymentSql = await connectPgRunner(databases[3]?.url ?? "");
    const confirmedCount = async () =>
      Number(
        (
          await ticketSql.query<{ n: string }>(
            "SELECT count(*) AS n FROM reservations WHERE status = 'CONFIRMED'",
          )
        )[0]?.n,
      );
    for (const deadline = Date.now() + 60_000; (await confirmedCount()) < paid && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const confirmations = await ticketSql.query<{ payment_id: string; confirmed_at: Date }>(
      "SELECT payment_id, confirmed_at FROM reservations WHERE status = 'CONFIRMED'",
    );
    const written = new Map(
      (
        await paymentSql.query<{ message_key: string; created_at: Date }>(
          "SELECT message_key, created_at FROM outbox_events WHERE event_type = 'payment.confirmed'",
        )
      ).map((r) => [r.message_key, r.created_at.getTime()]),
    );
    const lags = confirmations
      .map((c) => c.confirmed_at.getTime() - (written.get(c.payment_id) ?? Number.NaN))
      .filter((lag) => Number.isFinite(lag))
      .sort((a, b) => a - b);
    const lastConfirmed = Math.max(...confirmations.map((c) => c.confirmed_at.getTime()));
    const purchaseSeconds = (lastConfirmed - (performance.timeOrigin + started)) / 1000;
    const [sold] = await ticketSql.query<{ issued: string; reserved: string; paid: string }>(`
      SELECT (SELECT count(*) FROM tickets WHERE status = 'ISSUED') AS issued,
             (SELECT count(*) FROM seats WHERE status = 'RESERVED') AS reserved,
             (SELECT count(*) FROM (SELECT seat_id FROM tickets WHERE status = 'ISSUED' GROUP BY seat_id HAVING count(*) > 1) d) AS paid`);
    const charged = Number(
      (
        await paymentSql.query<{ n: string }>("SELECT count(*) AS n FROM payments WHERE status = 'CONFIRMED'")
      )[0]?.n,
    );
    await ticketSql.close();
    await paymentSql.close();

    // The invariant, checked in the ticket database.
    const ticketDb = await connectPgRunner(databases[2]?.url ?? "");
    const [check] = await ticketDb.query<{ held: string; double: string; items: string }>(`
      SELECT (SELECT count(*) FROM seats WHERE status IN ('HELD', 'RESERVED')) AS held,
             (SELECT count(*) FROM (SELECT i.seat_id FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
                WHERE r.status IN ('PENDING', 'CONFIRMED') AND i.seat_id IS NOT NULL GROUP BY i.seat_id HAVING count(*) > 1) d) AS double,
             (SELECT count(*) FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id WHERE r.status IN ('PENDING', 'CONFIRMED')) AS items`);
    await ticketDb.close();

    // The ceiling: the same row-lock transaction straight on PostgreSQL, same buyers, same choices.
    const baseline = await rawRowLockRate(databases[2]?.url ?? "", seats, BUYERS);

    const holdRate = holds / seconds;
    console.log(
      `\non-sale — ${seatList.length} seats, ${BUYERS} buyers at once, 2 adjacent seats each, up to ${ATTEMPTS} attempts`,
    );
    console.log(
      `through the gateway:   ${holds} holds in ${seconds.toFixed(2)} s = ${holdRate.toFixed(0)} holds/s, ${(latencies.length / seconds).toFixed(0)} requests/s`,
    );
    console.log(
      `  latency p50 ${percentile(latencies, 50).toFixed(1)} ms  p90 ${percentile(latencies, 90).toFixed(1)} ms  p99 ${percentile(latencies, 99).toFixed(1)} ms  max ${(latencies.at(-1) ?? 0).toFixed(1)} ms`,
    );
    const p = (list: number[]) =>
      `p50 ${percentile(list, 50).toFixed(1)} ms  p99 ${percentile(list, 99).toFixed(1)} ms`;
    console.log(`  joinQueue       ${p(steps.join)}`);
    console.log(`  holdSeats       ${p(latencies)}`);
    console.log(`  preparePayment  ${p(steps.prepare)}`);
    console.log(`  confirmPayment  ${p(steps.confirm)}`);
    console.log(
      `  purchases: ${paid} paid, ${confirmations.length} confirmed by ticket in ${purchaseSeconds.toFixed(2)} s = ${(confirmations.length / purchaseSeconds).toFixed(0)} completed purchases/s`,
    );
    console.log(
      `  event lag (payment outbox write → reservation confirmed): ${p(lags)}  max ${(lags.at(-1) ?? 0).toFixed(0)} ms`,
    );
    console.log(`  conflicts ${conflicts}, other errors ${errors}, gateway RSS ${gatewayRss.toFixed(0)} MiB`);
    const soldOk =
      sold?.paid === "0" &&
      Number(sold?.issued) === confirmations.length * 2 &&
      Number(sold?.reserved) === confirmations.length * 2 &&
      charged === confirmations.length &&
      confirmations.length === paid;
    console.log(
      `  check: ${check?.held} seats held or sold, seats in two reservations: ${check?.double}; ${sold?.issued} tickets issued, ${sold?.paid} seats with two tickets, ${charged} payments charged ${check?.double === "0" && Number(check?.held) === holds * 2 && soldOk ? "(OK)" : "(FAILED)"}`,
    );
    console.log(
      `raw PostgreSQL row-lock transaction (ceiling): ${baseline.committed} holds in ${baseline.seconds.toFixed(2)} s = ${(baseline.committed / baseline.seconds).toFixed(0)} holds/s, p50 ${baseline.p50.toFixed(1)} ms p99 ${baseline.p99.toFixed(1)} ms`,
    );
    const ceiling = baseline.committed / baseline.seconds;
    console.log(`ratio service/ceiling (holds per second): ${(holdRate / ceiling).toFixed(2)}`);
    console.log(
      `ratio service/ceiling (completed purchases per second vs. bare holds): ${(confirmations.length / purchaseSeconds / ceiling).toFixed(2)}`,
    );
    writeChart("on-sale", {
      title: `On-sale — ${seatList.length} seats, ${BUYERS} buyers at once through the gateway`,
      context: [
        machineLine(),
        `holds/s service/ceiling ${(holdRate / ceiling).toFixed(2)} · completed purchases/s vs bare holds ${(confirmations.length / purchaseSeconds / ceiling).toFixed(2)} · ${holds} holds, ${conflicts} conflicts, ${paid} paid`,
      ],
      panels: onSalePanels(
        {
          holds: timelines.holds.intervals(ended),
          attempts: timelines.attempts.intervals(ended),
          paid: timelines.paid.intervals(ended),
        },
        baseline,
        [
          ["joinQueue", steps.join],
          ["holdSeats", latencies],
          ["preparePayment", steps.prepare],
          ["confirmPayment", steps.confirm],
          ["event lag (outbox → confirmed)", lags],
        ],
      ),
    });
    if (check?.double !== "0" || Number(check?.held) !== holds * 2 || !soldOk || errors > 0)
      process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

/**
 * The same work with nothing around it: BEGIN; lock two seats FOR UPDATE; check and update them;
 * insert a reservation row; COMMIT. One pool of 30 connections (ticket's own pool size) on a copy
 * of the seat table in a scratch schema.
 */
async function rawRowLockRate(url: string, seats: Seat[][], buyers: number) {
  const pool = new pg.Pool({ connectionString: url, max: 30 });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS bench;
    DROP TABLE IF EXISTS bench.seats; DROP TABLE IF EXISTS bench.holds;
    CREATE TABLE bench.seats AS SELECT id, 'AVAILABLE'::text AS status, 0 AS version FROM public.seats;
    ALTER TABLE bench.seats ADD PRIMARY KEY (id);
    CREATE TABLE bench.holds (id uuid PRIMARY KEY, seat_ids uuid[] NOT NULL, created_at timestamptz DEFAULT now());`);
  const rng = seededRandom(42);
  const latencies: number[] = [];
  let committed = 0;
  const started = performance.now();
  const timelines = { committed: new Timeline(started, 500), attempts: new Timeline(started, 500) };
  await Promise.all(
    Array.from({ length: buyers }, async () => {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const pair = pickPair(seats, rng)
          .map((s) => s.id)
          .sort();
        const t0 = performance.now();
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const { rows } = await client.query<{ id: string; status: string; version: number }>(
            "SELECT id, status, version FROM bench.seats WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE",
            [pair],
          );
          if (rows.length !== pair.length || rows.some((r) => r.status !== "AVAILABLE")) {
            await client.query("ROLLBACK");
            latencies.push(performance.now() - t0);
            timelines.attempts.record(performance.now() - t0);
            continue;
          }
          for (const row of rows) {
            await client.query(
              "UPDATE bench.seats SET status = 'HELD', version = version + 1 WHERE id = $1 AND version = $2",
              [row.id, row.version],
            );
          }
          await client.query("INSERT INTO bench.holds (id, seat_ids) VALUES ($1, $2)", [randomUUID(), pair]);
          await client.query("COMMIT");
          committed++;
          latencies.push(performance.now() - t0);
          timelines.attempts.record(performance.now() - t0);
          timelines.committed.record(performance.now() - t0);
          return;
        } finally {
          client.release();
        }
      }
    }),
  );
  const ended = performance.now();
  const seconds = (ended - started) / 1000;
  await pool.query("DROP SCHEMA bench CASCADE");
  await pool.end();
  latencies.sort((a, b) => a - b);
  return {
    committed,
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    committedTimeline: timelines.committed.intervals(ended),
    attemptTimeline: timelines.attempts.intervals(ended),
  };
}

const points = (intervals: readonly Interval[], pick: (i: Interval) => number) =>
  intervals.map((i) => ({ x: i.endSeconds, y: i.requests > 0 ? pick(i) : null }));

/** Rates and latency over the stampede beside the ceiling's (its own clock from its start), and per step. */
function onSalePanels(
  service: { holds: Interval[]; attempts: Interval[]; paid: Interval[] },
  ceiling: Awaited<ReturnType<typeof rawRowLockRate>>,
  steps: [string, number[]][],
) {
  const clock = { label: "time since the stampede began", unit: "s" };
  return [
    {
      kind: "line" as const,
      title: "Holds and purchases per second (dashed: raw PostgreSQL row-lock holds, the ceiling)",
      x: clock,
      y: { label: "rate", unit: "per s" },
      series: [
        { name: "holds through the gateway", points: points(service.holds, (i) => i.throughput) },
        { name: "purchases paid", points: points(service.paid, (i) => i.throughput) },
        {
          name: "raw PostgreSQL holds",
          baseline: true,
          points: points(ceiling.committedTimeline, (i) => i.throughput),
        },
      ],
    },
    {
      kind: "line" as const,
      title: "Hold attempt latency per half second",
      x: clock,
      y: { label: "latency", unit: "ms" },
      series: [
        { name: "holdSeats p50", colour: 0, points: points(service.attempts, (i) => i.p50) },
        { name: "holdSeats p99", colour: 1, points: points(service.attempts, (i) => i.p99) },
        { name: "raw p50", colour: 0, baseline: true, points: points(ceiling.attemptTimeline, (i) => i.p50) },
        { name: "raw p99", colour: 1, baseline: true, points: points(ceiling.attemptTimeline, (i) => i.p99) },
      ],
    },
    {
      kind: "bar" as const,
      title: "Latency per step, and the same hold straight on PostgreSQL (the ceiling)",
      y: { label: "latency", unit: "ms" },
      groups: [...steps.map(([label]) => label), "raw PostgreSQL hold (ceiling)"],
      series: [
        { name: "p50", values: [...steps.map(([, l]) => percentile(l, 50)), ceiling.p50] },
        { name: "p99", values: [...steps.map(([, l]) => percentile(l, 99)), ceiling.p99] },
      ],
    },
  ];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
