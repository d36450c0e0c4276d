/**
 * The live waiting room: N fans (default 5,000) waiting for one event, each with its own graphql-ws
 * connection to the gateway and a `queuePosition` subscription. Each round an admin raises the
 * event's threshold; the queue's next admission round admits a batch and publishes one tick, and
 * every waiting fan must receive their new position through queue → gateway. Prints, per
 * admission tick, the time until every subscriber had its update (p50/p99/max), per-message
 * latency, messages per second and gateway memory per connection; then the same subscribers and
 * ticks on a plain graphql-ws server without federation, gateway or Redis (the ceiling), and the
 * ratios. Writes a chart: per admission tick, the time until every subscriber had it, beside the
 * ceiling's, and the percentiles of both.
 *
 *   npm run bench -- live-queue       (BENCH_SUBSCRIBERS, BENCH_ROUNDS to change the size)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";
import { machineLine, writeChart } from "./lib/chart-file.ts";
import { percentile, post, rssMiB } from "./lib/load.ts";
import { startBenchStack, untilAccepted } from "./lib/stack.ts";

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS || 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 8);
const ADMITTED_PER_ROUND = 50;

interface Received {
  recv: number;
  asOf: number;
  position: number;
}

interface Fleet {
  clients: Client[];
  /** Per subscriber, every update it received. */
  inbox: Received[][];
  /** Subscribers whose subscription ended (admitted: their last update came). */
  finished: Set<number>;
}

/** Opens one connection and one subscription per fan, in batches, until each has its first update. */
async function connectFleet(
  url: string,
  count: number,
  subscription: (i: number) => { query: string; variables: Record<string, unknown>; token?: string },
): Promise<Fleet> {
  const fleet: Fleet = { clients: [], inbox: Array.from({ length: count }, () => []), finished: new Set() };
  for (let start = 0; start < count; start += 250) {
    await Promise.all(
      Array.from({ length: Math.min(250, count - start) }, async (_, k) => {
        const i = start + k;
        const { query, variables, token } = subscription(i);
        const client = createClient({
          url: url.replace(/^http/, "ws"),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        });
        fleet.clients.push(client);
        await new Promise<void>((resolve, reject) => {
          client.subscribe<{ queuePosition: { asOf: string; position: number } }>(
            { query, variables },
            {
              next: (result) => {
                const update = result.data?.queuePosition;
                if (update) {
                  fleet.inbox[i]?.push({
                    recv: Date.now(),
                    asOf: Date.parse(update.asOf),
                    position: update.position,
                  });
                }
                resolve();
              },
              error: reject,
              complete: () => {
                fleet.finished.add(i);
                resolve();
              },
            },
          );
        });
      }),
    );
  }
  return fleet;
}

/**
 * The subscribers still listening, each with the position it last received: a round has reached a
 * subscriber when it receives a different position (or its subscription ends, admitted).
 */
function snapshot(fleet: Fleet): Map<number, number | undefined> {
  const listening = new Map<number, number | undefined>();
  fleet.inbox.forEach((msgs, i) => {
    if (!fleet.finished.has(i)) listening.set(i, msgs.at(-1)?.position);
  });
  return listening;
}

/** Waits until the round started at `since` has reached every subscriber in `listening`. */
async function settled(
  fleet: Fleet,
  since: number,
  listening: Map<number, number | undefined>,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  const reached = (i: number, before: number | undefined) =>
    fleet.finished.has(i) || Boolean(fleet.inbox[i]?.some((m) => m.recv >= since && m.position !== before));
  for (;;) {
    const stuck = [...listening].filter(([i, before]) => !reached(i, before)).map(([i]) => i);
    if (stuck.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${stuck.length} subscribers never got the round of ${since}: ${JSON.stringify(stuck.slice(0, 3).map((i) => ({ i, inbox: fleet.inbox[i] })))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Per admission tick: how long until the last subscriber had it; per message: its latency. */
function summarize(fleet: Fleet, after: number) {
  const byTick = new Map<number, number[]>();
  for (const msgs of fleet.inbox) {
    for (const m of msgs)
      if (m.asOf > after) byTick.set(m.asOf, [...(byTick.get(m.asOf) ?? []), m.recv - m.asOf]);
  }
  // Ticks that reached (nearly) everyone are the admission rounds; stragglers are idle-tick updates.
  const rounds = [...byTick.entries()]
    .filter(([, l]) => l.length >= fleet.inbox.length * 0.5)
    .sort(([a], [b]) => a - b)
    .map(([, l]) => l);
  const all = rounds.flat().sort((a, b) => a - b);
  const spreads = rounds.map((l) => Math.max(...l)).sort((a, b) => a - b);
  const messages = rounds.reduce((n, l) => n + l.length, 0);
  const busy = spreads.reduce((n, s) => n + Math.max(1, s), 0) / 1000;
  return {
    rounds: rounds.length,
    messages,
    perMessage: { p50: percentile(all, 50), p99: percentile(all, 99), max: all.at(-1) ?? 0 },
    everyone: { p50: percentile(spreads, 50), p99: percentile(spreads, 99), max: spreads.at(-1) ?? 0 },
    perSecond: messages / busy,
    /** In tick order: how long the last subscriber waited, and the p99 of all of them. */
    ticks: rounds.map((l) => {
      const sorted = [...l].sort((a, b) => a - b);
      return { everyone: sorted.at(-1) ?? 0, p99: percentile(sorted, 99) };
    }),
  };
}

async function disconnect(fleet: Fleet) {
  await Promise.all(fleet.clients.map((c) => c.dispose()));
}

async function federated() {
  const stack = await startBenchStack({
    extraEnv: { queue: { QUEUE_THRESHOLD: "1", QUEUE_IDLE_SECONDS: "600", ACTIVE_IDLE_SECONDS: "600" } },
    // BENCH_PROFILE=<dir> BENCH_PROFILE_SERVICE=<name> writes a V8 CPU profile of that service.
    ...(process.env.BENCH_PROFILE
      ? {
          nodeArgs: {
            service: process.env.BENCH_PROFILE_SERVICE || "gateway",
            args: ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`],
          },
        }
      : {}),
  });
  try {
    const { gql, adminToken } = stack;
    const eventId = await stack.publishEvent("Bench Waiting Room", "Bench Stadium");
    await untilAccepted(() =>
      gql("query($e: ID!) { queueAdmin(eventId: $e) { threshold } }", { e: eventId }, adminToken),
    );
    const tokens = await Promise.all(
      Array.from({ length: SUBSCRIBERS + 1 }, () => stack.tokenFor(randomUUID(), "USER")),
    );
    // Everyone joins; the first takes the only slot, the rest wait with numbers 2..N+1.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const url = new URL(stack.plan.gatewayUrl);
    const join = JSON.stringify({
      query: "mutation($e: ID!) { joinQueue(eventId: $e) { state } }",
      variables: { e: eventId },
    });
    await post(agent, url, join, { authorization: `Bearer ${tokens[0]}` });
    for (let i = 1; i < tokens.length; i += 64) {
      await Promise.all(
        tokens.slice(i, i + 64).map((t) => post(agent, url, join, { authorization: `Bearer ${t}` })),
      );
    }
    agent.destroy();

    const rssBefore = rssMiB(stack.gateway.child.pid);
    // BENCH_WITH_EVENT=1 also selects the catalog's `event { title }`: one entity fetch per update.
    const eventFields = process.env.BENCH_WITH_EVENT ? " event { title }" : "";
    const query = `subscription($e: ID!) { queuePosition(eventId: $e) { state position estimatedWaitSeconds asOf${eventFields} } }`;
    const fleet = await connectFleet(stack.plan.gatewayUrl, SUBSCRIBERS, (i) => ({
      query,
      variables: { e: eventId },
      token: tokens[i + 1],
    }));
    const rssAfter = rssMiB(stack.gateway.child.pid);
    const start = Date.now();
    for (let round = 1; round <= ROUNDS; round++) {
      const listening = snapshot(fleet);
      const bumped = Date.now();
      await gql(
        "mutation($e: ID!, $t: Int!) { setQueueThreshold(eventId: $e, threshold: $t) { threshold } }",
        { e: eventId, t: 1 + round * ADMITTED_PER_ROUND },
        adminToken,
      );
      // Fans admitted in earlier rounds got their last (ACTIVE) update; everyone else moves.
      await settled(fleet, bumped, listening);
    }
    const result = summarize(fleet, start);
    const gatewayRss = rssMiB(stack.gateway.child.pid);
    await disconnect(fleet);
    return { ...result, perConnectionKiB: ((rssAfter - rssBefore) * 1024) / SUBSCRIBERS, gatewayRss };
  } finally {
    await stack.stop();
  }
}

async function ceiling() {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(__dirname, "lib/plain-broadcast-server.ts")],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        const match = /ready (\d+)/.exec(chunk.toString());
        if (match) resolve(Number(match[1]));
      });
      child.once("exit", (code) => reject(new Error(`ceiling server exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${port}/graphql`;
    const rssBefore = rssMiB(child.pid);
    const fleet = await connectFleet(url, SUBSCRIBERS, (i) => ({
      query:
        "subscription($n: Int!) { queuePosition(number: $n) { state position estimatedWaitSeconds asOf } }",
      variables: { n: i + 2 },
    }));
    const rssAfter = rssMiB(child.pid);
    const agent = new http.Agent({ keepAlive: true });
    const tickUrl = new URL(`http://127.0.0.1:${port}/tick`);
    const start = Date.now();
    for (let round = 1; round <= ROUNDS; round++) {
      await new Promise((r) => setTimeout(r, 50));
      const listening = snapshot(fleet);
      const at = Date.now();
      await post(agent, tickUrl, JSON.stringify({ serving: 1 + round * ADMITTED_PER_ROUND, at }), {});
      await settled(fleet, at, listening);
    }
    agent.destroy();
    const result = summarize(fleet, start);
    await disconnect(fleet);
    return { ...result, perConnectionKiB: ((rssAfter - rssBefore) * 1024) / SUBSCRIBERS };
  } finally {
    child.kill();
  }
}

function print(label: string, r: Awaited<ReturnType<typeof ceiling>>) {
  console.log(
    `${label}: ${r.rounds} admission ticks, ${r.messages} updates; every subscriber updated within p50 ${r.everyone.p50} ms  p99 ${r.everyone.p99} ms  max ${r.everyone.max} ms`,
  );
  console.log(
    `  per update p50 ${r.perMessage.p50} ms  p99 ${r.perMessage.p99} ms  max ${r.perMessage.max} ms;  ${r.perSecond.toFixed(0)} updates/s while broadcasting;  ${r.perConnectionKiB.toFixed(1)} KiB per connection`,
  );
}

async function main() {
  console.log(
    `\nlive-queue — ${SUBSCRIBERS} graphql-ws subscribers on one event, ${ROUNDS} admission rounds of ${ADMITTED_PER_ROUND}`,
  );
  const through = await federated();
  print("through the gateway (queue → Redis → queue → gateway → client)", through);
  console.log(`  gateway RSS at the end ${through.gatewayRss.toFixed(0)} MiB`);
  const plain = await ceiling();
  print("plain graphql-ws server, no federation (ceiling)", plain);
  console.log(
    `ratio gateway/ceiling (updates per second): ${(through.perSecond / plain.perSecond).toFixed(2)}`,
  );
  console.log(
    `ratio ceiling/gateway (time until every subscriber is updated, p50): ${(plain.everyone.p50 / Math.max(1, through.everyone.p50)).toFixed(2)}`,
  );
  chart(through, plain);
}

function chart(through: Awaited<ReturnType<typeof federated>>, plain: Awaited<ReturnType<typeof ceiling>>) {
  const byTick = (r: typeof plain, pick: (t: (typeof plain.ticks)[number]) => number) =>
    r.ticks.map((t, i) => ({ x: i + 1, y: pick(t) }));
  const pairs: [string, (r: typeof plain) => number][] = [
    ["everyone updated p50", (r) => r.everyone.p50],
    ["everyone updated p99", (r) => r.everyone.p99],
    ["everyone updated max", (r) => r.everyone.max],
    ["per update p50", (r) => r.perMessage.p50],
    ["per update p99", (r) => r.perMessage.p99],
  ];
  writeChart("live-queue", {
    title: `Live queue — ${SUBSCRIBERS} graphql-ws subscribers, ${ROUNDS} admission rounds of ${ADMITTED_PER_ROUND}`,
    context: [
      machineLine(),
      `updates/s gateway/ceiling ${(through.perSecond / plain.perSecond).toFixed(2)} · ${through.perConnectionKiB.toFixed(1)} KiB per connection through the gateway, ${plain.perConnectionKiB.toFixed(1)} KiB on the plain server`,
    ],
    panels: [
      {
        kind: "line",
        title:
          "Per admission tick: until the last subscriber had it, and the p99 (dashed: plain graphql-ws server)",
        x: { label: "admission tick", unit: "" },
        y: { label: "time", unit: "ms" },
        series: [
          { name: "through the gateway, last", colour: 0, points: byTick(through, (t) => t.everyone) },
          { name: "through the gateway, p99", colour: 1, points: byTick(through, (t) => t.p99) },
          { name: "ceiling, last", colour: 0, baseline: true, points: byTick(plain, (t) => t.everyone) },
          { name: "ceiling, p99", colour: 1, baseline: true, points: byTick(plain, (t) => t.p99) },
        ],
      },
      {
        kind: "bar",
        title: "Over all ticks (under each: gateway/ceiling)",
        y: { label: "time", unit: "ms" },
        groups: pairs.map(([label]) => label),
        series: [
          { name: "through the gateway", values: pairs.map(([, pick]) => pick(through)) },
          {
            name: "plain graphql-ws server (ceiling)",
            baseline: true,
            values: pairs.map(([, pick]) => pick(plain)),
          },
        ],
        notes: pairs.map(([, pick]) => `× ${(pick(through) / Math.max(1, pick(plain))).toFixed(2)}`),
      },
    ],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
