/**
 * The public edge under attack. Fans browse (events list, event detail), join the waiting room
 * and hold seats with their entry token (then release them), through the gateway: (a) alone, the
 * baseline, and (b) while anonymous attacker loops send the heavy operations of issue 11 as fast as
 * they are answered; rounds alternate so machine noise hits both. Prints per-step p50/p99 and
 * throughput and the ratios b/a; then the time to refuse each heavy operation (sequentially, and
 * under fan traffic) with the limit it broke, the subgraphs' CPU while refusals are answered
 * against the same time idle (a refused operation reaches no subgraph), and the gateway's and
 * catalog's resident memory before, during and after the attack. Fails when any heavy operation
 * is answered with anything but HTTP 400 OPERATION_TOO_COMPLEX, or when a fan's request fails.
 * Writes a chart: fans' throughput and p50/p99 per second over the alternating rounds, per-step
 * p50/p99 alone vs attacked, and the time to refuse each heavy operation.
 *
 * Rate limits are raised out of the way: the point is what operation limits alone cost and save.
 *
 *   npm run bench -- edge     (BENCH_SECONDS per round, BENCH_FANS, BENCH_ATTACKERS, BENCH_TRIES)
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { graphqlRequest } from "@urr/testkit";
import {
  deepNesting,
  manyAliases,
  repeatedField,
} from "../packages/operation-limits/test/support/hostile-operations.ts";
import { machineLine, type PlacedRun, runsSeries, writeChart } from "./lib/chart-file.ts";
import {
  cpuMs,
  type Interval,
  type LoadResult,
  markdownTable,
  percentile,
  post,
  rssMiB,
  seededRandom,
  summarize,
  Timeline,
} from "./lib/load.ts";
import { startBenchStack, untilAccepted } from "./lib/stack.ts";

const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const ROUNDS = 2;
const FANS = Number(process.env.BENCH_FANS || 20);
const ATTACKERS = Number(process.env.BENCH_ATTACKERS || 4);
const TRIES = Number(process.env.BENCH_TRIES || 100);
const RAISED_RATE_LIMIT = "1000000";
const RATE_LIMITS_RAISED = Object.fromEntries(
  ["AUTH", "QUEUE", "BOOKING", "GENERAL"].map((c) => [`RATE_LIMIT_${c}_PER_MINUTE`, RAISED_RATE_LIMIT]),
);
const BROWSE_EVENTS = 10;

/** Parses to past graphql-js's token limit: a list value of 50,000 numbers where a string goes. */
function tokenFlood(bytes: number): string {
  return `query Flood { events(first: 1, after: [${"0 ".repeat(bytes / 2)}]) { edges { node { id } } } }`;
}

/** A valid-looking page of 1,000 events, each with 1,000 of its artist's events and their availability. */
const COST_BOMB =
  "query Cost { events(first: 1000) { edges { node { artist { events(first: 1000) { edges { node { id availability { available held } } } } } } } } }";

const ATTACKS = [
  { kind: "events → artist → events, 30 deep", query: deepNesting(30) },
  { kind: "2,000 aliases of events(first: 20) { … availability }", query: manyAliases(2000) },
  { kind: "one field repeated 20,000 times", query: repeatedField(20_000) },
  { kind: "100 KB token flood", query: tokenFlood(100 * 1024) },
  { kind: "cost bomb: events(first: 1000) → events(first: 1000)", query: COST_BOMB },
].map((a) => ({ ...a, body: JSON.stringify({ query: a.query }) }));

const QUERIES = {
  list: "query Browse { events(first: 20) { edges { node { id title venue startsAt artist { name } availability { available } } } } }",
  detail:
    "query EventPage($id: ID!) { event(id: $id) { id title description venue startsAt saleStartsAt artist { id name } availability { totalSeats available held reserved sections { section available } } queue { queueSize activeUsers estimatedWaitSeconds } } }",
  join: "mutation Join($e: ID!) { joinQueue(eventId: $e) { state entryToken } }",
  hold: "mutation Hold($e: ID!, $s: [ID!]!, $k: String!, $t: String) { holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) { id status expiresAt } }",
  release: "mutation Release($id: ID!) { cancelReservation(id: $id) { id status } }",
};
type Step = keyof typeof QUERIES;
const STEPS = Object.keys(QUERIES) as Step[];
const STEP_LABELS: Record<Step, string> = {
  list: "events list",
  detail: "event detail",
  join: "joinQueue",
  hold: "holdSeats (entry token)",
  release: "cancelReservation",
};

interface Fan {
  token: string;
  /** Two seats no other fan holds: holds never conflict, so the figures are the edge's, not contention's. */
  seatIds: [string, string];
  entryToken: string;
}

/** What a refusal said; `problem` when it was not the 400 OPERATION_TOO_COMPLEX it must be. */
interface Refusal {
  ms: number;
  status: number;
  code: string;
  limit: string;
  problem?: string;
}

async function refuse(agent: http.Agent, url: URL, body: string): Promise<Refusal> {
  const t0 = performance.now();
  const res = await post(agent, url, body, {}).catch((e: Error) => ({ status: 0, body: e.message }));
  const ms = performance.now() - t0;
  let parsed: { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] } = {};
  try {
    parsed = JSON.parse(res.body);
  } catch {
    // Not JSON: reported below with the status.
  }
  const ext = parsed.errors?.[0]?.extensions ?? {};
  const code = String(ext.code ?? "none");
  const limit = `${ext.limit} ${ext.measured} > ${ext.maximum}`;
  const ok =
    res.status === 400 && code === "OPERATION_TOO_COMPLEX" && parsed.errors?.length === 1 && !parsed.data;
  return {
    ms,
    status: res.status,
    code,
    limit,
    ...(ok ? {} : { problem: `HTTP ${res.status} ${res.body.slice(0, 300)}` }),
  };
}

interface Phase {
  steps: Record<Step, number[]>;
  errors: number;
  firstError?: string;
  seconds: number;
  /** Latencies of the attackers' refusals by kind (empty when alone). */
  attacks: number[][];
  wrongRefusals: string[];
  peakRss: { gateway: number; catalog: number };
  /** Per second: every fan request, and the attackers' refusals. */
  fanTimeline: Interval[];
  refusalTimeline: Interval[];
}

async function main(): Promise<void> {
  const stack = await startBenchStack({
    extraEnv: {
      gateway: RATE_LIMITS_RAISED,
      // Every fan is admitted on joining: the waiting room itself is measured by live-queue.
      queue: { QUEUE_THRESHOLD: String(FANS + 10) },
    },
  });
  const { plan, gql, adminToken } = stack;
  const gatewayPid = stack.gateway.child.pid;
  const pidOf = (name: string) => stack.services.get(name)?.child.pid;
  try {
    const url = new URL(plan.gatewayUrl);
    // Something to browse, and one event on sale with a seat pair per fan.
    const eventIds: string[] = [];
    for (let i = 0; i < BROWSE_EVENTS; i++)
      eventIds.push(await stack.publishEvent(`Bench Edge ${i}`, `Bench Hall ${i}`));
    const onSale = eventIds[0] ?? "";
    const layout = await gql(
      "mutation($i: CreateSeatLayoutInput!) { createSeatLayout(input: $i) { id } }",
      {
        i: {
          name: "Bench Edge Hall",
          definition: {
            priceTiers: [{ name: "R", price: 99000 }],
            sections: [
              {
                name: "A",
                priceTier: "R",
                x: 0,
                y: 0,
                rows: Array.from({ length: Math.ceil(FANS / 10) }, (_, r) => ({
                  label: String(r + 1),
                  seats: 20,
                })),
              },
            ],
          },
        },
      },
      adminToken,
    );
    await untilAccepted(() =>
      gql(
        "mutation($e: ID!, $l: ID!) { generateSeats(eventId: $e, layoutId: $l) { seatsCreated } }",
        { e: onSale, l: layout.createSeatLayout.id },
        adminToken,
      ),
    );
    const seatData = await gql("query($id: ID!) { event(id: $id) { seats { id } } }", { id: onSale });
    const seatIds = (seatData.event.seats as { id: string }[]).map((s) => s.id);

    // Fans with real accounts, each admitted to the waiting room once (joins go on in the mix).
    const fans: Fan[] = [];
    for (let i = 0; i < FANS; i++) {
      const registered = await graphqlRequest<{ register: { accessToken: string } }>(
        plan.gatewayUrl,
        'mutation($e: String!) { register(input: { email: $e, password: "bench-password-1", name: "Fan" }) { accessToken } }',
        { e: `fan${i}-${randomUUID().slice(0, 8)}@urr.bench` },
      );
      const token = registered.data?.register.accessToken;
      if (!token) throw new Error(`register failed: ${JSON.stringify(registered.errors)}`);
      const joined = await untilAccepted(() => gql(QUERIES.join, { e: onSale }, token));
      if (joined.joinQueue.state !== "ACTIVE")
        throw new Error(`fan ${i} not admitted: ${joined.joinQueue.state}`);
      fans.push({
        token,
        seatIds: [seatIds[2 * i] ?? "", seatIds[2 * i + 1] ?? ""],
        entryToken: joined.joinQueue.entryToken,
      });
    }

    const phase = async (ms: number, attackers: number): Promise<Phase> => {
      const fanAgent = new http.Agent({ keepAlive: true, maxSockets: FANS });
      const attackAgent = new http.Agent({ keepAlive: true, maxSockets: Math.max(1, attackers) });
      const result: Phase = {
        steps: { list: [], detail: [], join: [], hold: [], release: [] },
        errors: 0,
        seconds: 0,
        attacks: ATTACKS.map(() => []),
        wrongRefusals: [],
        peakRss: { gateway: 0, catalog: 0 },
        fanTimeline: [],
        refusalTimeline: [],
      };
      const sampler = setInterval(() => {
        result.peakRss.gateway = Math.max(result.peakRss.gateway, rssMiB(gatewayPid));
        result.peakRss.catalog = Math.max(result.peakRss.catalog, rssMiB(pidOf("catalog")));
      }, 200);
      const started = performance.now();
      const deadline = started + ms;
      const fanTimeline = new Timeline(started);
      const refusalTimeline = new Timeline(started);
      /** One timed request of a fan; its data, or undefined (counted as an error). */
      const step = async (name: Step, variables: Record<string, unknown>, token: string) => {
        const t0 = performance.now();
        try {
          const res = await post(fanAgent, url, JSON.stringify({ query: QUERIES[name], variables }), {
            authorization: `Bearer ${token}`,
          });
          result.steps[name].push(performance.now() - t0);
          fanTimeline.record(performance.now() - t0, res.status === 200);
          // biome-ignore lint/suspicious/noExplicitAny: benchmarks read responses ad hoc
          const parsed = JSON.parse(res.body) as { data?: Record<string, any>; errors?: unknown[] };
          if (res.status === 200 && !parsed.errors && parsed.data) return parsed.data;
          result.firstError ??= `${STEP_LABELS[name]}: HTTP ${res.status} ${res.body.slice(0, 300)}`;
        } catch (error) {
          result.steps[name].push(performance.now() - t0);
          fanTimeline.record(performance.now() - t0, false);
          result.firstError ??= `${STEP_LABELS[name]}: ${(error as Error).message}`;
        }
        result.errors++;
        return undefined;
      };
      const fan = async (f: Fan, index: number) => {
        const rng = seededRandom(index + 1);
        while (performance.now() < deadline) {
          await step("list", {}, f.token);
          const id = eventIds[Math.floor(rng() * eventIds.length)];
          await step("detail", { id }, f.token);
          const joined = await step("join", { e: onSale }, f.token);
          if (joined?.joinQueue.entryToken) f.entryToken = joined.joinQueue.entryToken;
          const held = await step(
            "hold",
            { e: onSale, s: f.seatIds, k: randomUUID(), t: f.entryToken },
            f.token,
          );
          if (held) await step("release", { id: held.holdSeats.id }, f.token);
        }
      };
      const attacker = async (index: number) => {
        for (let i = index; performance.now() < deadline; i++) {
          const which = i % ATTACKS.length;
          const refusal = await refuse(attackAgent, url, ATTACKS[which]?.body ?? "");
          result.attacks[which]?.push(refusal.ms);
          refusalTimeline.record(refusal.ms, !refusal.problem);
          if (refusal.problem) result.wrongRefusals.push(`${ATTACKS[which]?.kind}: ${refusal.problem}`);
        }
      };
      await Promise.all([
        ...fans.map((f, i) => fan(f, i)),
        ...Array.from({ length: attackers }, (_, i) => attacker(i)),
      ]);
      const ended = performance.now();
      result.seconds = (ended - started) / 1000;
      result.fanTimeline = fanTimeline.intervals(ended);
      result.refusalTimeline = refusalTimeline.intervals(ended);
      clearInterval(sampler);
      fanAgent.destroy();
      attackAgent.destroy();
      return result;
    };

    await phase(3000, 0); // warm-up: JIT, pools, query plans
    const warmAttack = await phase(2000, ATTACKERS); // and the refusal path
    const rssBefore = { gateway: rssMiB(gatewayPid), catalog: rssMiB(pidOf("catalog")) };
    const alone: Phase[] = [];
    const attacked: Phase[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      alone.push(await phase(SECONDS * 1000, 0));
      attacked.push(await phase(SECONDS * 1000, ATTACKERS));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const rssAfter = { gateway: rssMiB(gatewayPid), catalog: rssMiB(pidOf("catalog")) };

    // Each heavy operation alone, one at a time, with the subgraphs' CPU watched meanwhile.
    const subgraphs = plan.subgraphs.map((s) => s.name);
    const cpuOf = () => Object.fromEntries([...subgraphs, "gateway"].map((n) => [n, cpuMs(pidOf(n))]));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sequential: Refusal[][] = [];
    const cpuBefore = cpuOf();
    const refusingStarted = performance.now();
    for (const attack of ATTACKS) {
      const tries: Refusal[] = [];
      for (let i = 0; i < TRIES; i++) tries.push(await refuse(agent, url, attack.body));
      sequential.push(tries);
    }
    const refusingMs = performance.now() - refusingStarted;
    const cpuRefusing = cpuOf();
    await new Promise((r) => setTimeout(r, refusingMs));
    const cpuIdle = cpuOf();
    agent.destroy();

    // The figures.
    const merge = (phases: Phase[], pick: (p: Phase) => number[]): LoadResult =>
      summarize(
        phases.flatMap(pick),
        phases.reduce((n, p) => n + p.errors, 0),
        phases.reduce((s, p) => s + p.seconds, 0),
      );
    const ratio = (b: number, a: number) => (b / a).toFixed(2);
    const ms = (n: number) => n.toFixed(1);
    const trafficRow = (label: string, pick: (p: Phase) => number[]) => {
      const a = merge(alone, pick);
      const b = merge(attacked, pick);
      return {
        "fan traffic": label,
        "req/s alone": a.throughput.toFixed(0),
        "req/s attacked": b.throughput.toFixed(0),
        "ratio b/a": ratio(b.throughput, a.throughput),
        "p50 alone ms": ms(a.p50),
        "p50 attacked ms": ms(b.p50),
        "p50 b/a": ratio(b.p50, a.p50),
        "p99 alone ms": ms(a.p99),
        "p99 attacked ms": ms(b.p99),
        "p99 b/a": ratio(b.p99, a.p99),
      };
    };
    console.log(
      `\nedge — ${FANS} fans (events list → event detail → joinQueue → holdSeats → cancelReservation, in a loop),` +
        ` ${ROUNDS} × ${SECONDS} s alone and ${ROUNDS} × ${SECONDS} s with ${ATTACKERS} anonymous attacker loops, alternating`,
    );
    console.log(
      `rate limits raised for the bench (RATE_LIMIT_{AUTH,QUEUE,BOOKING,GENERAL}_PER_MINUTE=${RAISED_RATE_LIMIT}): operation limits alone are measured\n`,
    );
    console.log(
      markdownTable([
        trafficRow("all requests", (p) => STEPS.flatMap((s) => p.steps[s])),
        ...STEPS.map((s) => trafficRow(STEP_LABELS[s], (p) => p.steps[s])),
      ]),
    );
    const fanErrors = [...alone, ...attacked].reduce((n, p) => n + p.errors, 0);
    const attackSeconds = attacked.reduce((s, p) => s + p.seconds, 0);
    const attackCount = attacked.reduce((n, p) => n + p.attacks.flat().length, 0);
    console.log(
      `fan errors: ${fanErrors}; attackers: ${attackCount} heavy operations in ${attackSeconds.toFixed(0)} s = ${(attackCount / attackSeconds).toFixed(0)}/s refused\n`,
    );

    const wrong = [
      ...[warmAttack, ...attacked].flatMap((p) => p.wrongRefusals),
      ...sequential.flatMap((tries, i) =>
        tries.filter((t) => t.problem).map((t) => `${ATTACKS[i]?.kind}: ${t.problem}`),
      ),
    ];
    console.log(
      markdownTable(
        ATTACKS.map((attack, i) => {
          const tries = sequential[i] ?? [];
          const times = tries.map((t) => t.ms).sort((a, b) => a - b);
          const underLoad = attacked.flatMap((p) => p.attacks[i] ?? []).sort((a, b) => a - b);
          const answers = [...new Set(tries.map((t) => `${t.status} ${t.code}`))].join(", ");
          return {
            "heavy operation (anonymous)": attack.kind,
            KB: (attack.body.length / 1024).toFixed(1),
            answer: answers,
            "refused on (measured > maximum)": [...new Set(tries.map((t) => t.limit))].join(", "),
            [`p50 ms, ${TRIES} in a row`]: ms(percentile(times, 50)),
            "p99 ms in a row": ms(percentile(times, 99)),
            "tries under fans": underLoad.length,
            "p50 ms under fans": ms(percentile(underLoad, 50)),
            "p99 ms under fans": ms(percentile(underLoad, 99)),
          };
        }),
      ),
    );
    const cpuLine = [...subgraphs, "gateway"]
      .map(
        (n) =>
          `${n} ${((cpuRefusing[n] ?? 0) - (cpuBefore[n] ?? 0)).toFixed(0)} ms (idle ${((cpuIdle[n] ?? 0) - (cpuRefusing[n] ?? 0)).toFixed(0)} ms)`,
      )
      .join(", ");
    console.log(
      `CPU while the ${TRIES * ATTACKS.length} refusals above were answered (${refusingMs.toFixed(0)} ms), against the same time idle: ${cpuLine}\n`,
    );

    const peak = (phases: Phase[], name: "gateway" | "catalog") =>
      Math.max(...phases.map((p) => p.peakRss[name]));
    console.log(
      markdownTable(
        (["gateway", "catalog"] as const).map((name) => ({
          "resident memory (VmRSS)": name,
          "before the attack MiB": rssBefore[name].toFixed(0),
          "peak, fans alone MiB": peak(alone, name).toFixed(0),
          "peak under attack MiB": peak(attacked, name).toFixed(0),
          "after the attack MiB": rssAfter[name].toFixed(0),
        })),
      ),
    );

    chart(alone, attacked, sequential);

    if (wrong.length > 0) {
      console.error(
        `\nFAILED: ${wrong.length} heavy operations not refused with HTTP 400 OPERATION_TOO_COMPLEX:`,
      );
      for (const line of [...new Set(wrong)].slice(0, 10)) console.error(`  ${line}`);
      process.exitCode = 1;
    }
    if (fanErrors > 0) {
      const first = [...alone, ...attacked].find((p) => p.firstError)?.firstError;
      console.error(`\nFAILED: ${fanErrors} fan requests failed; first: ${first}`);
      process.exitCode = 1;
    }
  } finally {
    await stack.stop();
  }
}

/** Fans alone and attacked on one clock (the rounds alternate), per-step percentiles, refusal times. */
function chart(alone: Phase[], attacked: Phase[], sequential: Refusal[][]): void {
  const runs = { alone: [] as PlacedRun[], attacked: [] as PlacedRun[], refusals: [] as PlacedRun[] };
  let offsetSeconds = 0;
  alone.forEach((a, round) => {
    runs.alone.push({ offsetSeconds, intervals: a.fanTimeline });
    offsetSeconds += a.seconds;
    const b = attacked[round];
    if (!b) return;
    runs.attacked.push({ offsetSeconds, intervals: b.fanTimeline });
    runs.refusals.push({ offsetSeconds, intervals: b.refusalTimeline });
    offsetSeconds += b.seconds;
  });
  const merged = (phases: Phase[], pick: (p: Phase) => number[]) =>
    summarize(
      phases.flatMap(pick),
      0,
      phases.reduce((s, p) => s + p.seconds, 0),
    );
  const picks: [string, (p: Phase) => number[]][] = [
    ["all requests", (p) => STEPS.flatMap((s) => p.steps[s])],
    ...STEPS.map((s): [string, (p: Phase) => number[]] => [STEP_LABELS[s], (p) => p.steps[s]]),
  ];
  const a = picks.map(([, pick]) => merged(alone, pick));
  const b = picks.map(([, pick]) => merged(attacked, pick));
  const all = { a: a[0], b: b[0] };
  const clock = { label: "time into the measured rounds", unit: "s" };
  const sorted = (list: number[]) => [...list].sort((x, y) => x - y);
  const underFans = ATTACKS.map((_, i) => sorted(attacked.flatMap((p) => p.attacks[i] ?? [])));
  const inARow = sequential.map((tries) => sorted(tries.map((t) => t.ms)));
  writeChart("edge", {
    title: `Edge — ${FANS} fans through the gateway, alone and with ${ATTACKERS} anonymous attacker loops`,
    context: [
      machineLine(),
      `${ROUNDS} × ${SECONDS} s alone and attacked, alternating; attacked/alone: throughput ${((all.b?.throughput ?? 0) / (all.a?.throughput ?? 1)).toFixed(2)}, p50 ${((all.b?.p50 ?? 0) / (all.a?.p50 ?? 1)).toFixed(2)}, p99 ${((all.b?.p99 ?? 0) / (all.a?.p99 ?? 1)).toFixed(2)}`,
    ],
    panels: [
      {
        kind: "line",
        title: "Fan requests answered per second, and heavy operations refused per second",
        x: clock,
        y: { label: "throughput", unit: "req/s" },
        series: [
          runsSeries("fans alone (baseline)", runs.alone, (i) => i.throughput, { baseline: true }),
          runsSeries("fans under attack", runs.attacked, (i) => i.throughput),
          runsSeries("heavy operations refused", runs.refusals, (i) => i.throughput),
        ],
      },
      {
        kind: "line",
        title: "Fan latency per second",
        x: clock,
        y: { label: "latency", unit: "ms" },
        series: [
          runsSeries("p50 alone", runs.alone, (i) => i.p50, { baseline: true, colour: 0 }),
          runsSeries("p99 alone", runs.alone, (i) => i.p99, { baseline: true, colour: 1 }),
          runsSeries("p50 attacked", runs.attacked, (i) => i.p50, { colour: 0 }),
          runsSeries("p99 attacked", runs.attacked, (i) => i.p99, { colour: 1 }),
        ],
      },
      {
        kind: "bar",
        title: "Fan latency per step (under each: p99 attacked/alone)",
        y: { label: "latency", unit: "ms" },
        groups: picks.map(([label]) => label),
        series: [
          { name: "p50 alone", values: a.map((r) => r.p50), baseline: true, colour: 0 },
          { name: "p50 attacked", values: b.map((r) => r.p50), colour: 0 },
          { name: "p99 alone", values: a.map((r) => r.p99), baseline: true, colour: 1 },
          { name: "p99 attacked", values: b.map((r) => r.p99), colour: 1 },
        ],
        notes: a.map((r, i) => `× ${((b[i]?.p99 ?? 0) / r.p99).toFixed(2)}`),
      },
      {
        kind: "bar",
        title: "Time to refuse each heavy operation (HTTP 400 OPERATION_TOO_COMPLEX)",
        y: { label: "time to refuse", unit: "ms" },
        groups: ATTACKS.map((attack) => attack.kind),
        series: [
          {
            name: `p50, ${TRIES} in a row`,
            values: inARow.map((t) => percentile(t, 50)),
            baseline: true,
            colour: 0,
          },
          { name: "p99 in a row", values: inARow.map((t) => percentile(t, 99)), baseline: true, colour: 1 },
          { name: "p50 under fans", values: underFans.map((t) => percentile(t, 50)), colour: 0 },
          { name: "p99 under fans", values: underFans.map((t) => percentile(t, 99)), colour: 1 },
        ],
      },
    ],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
