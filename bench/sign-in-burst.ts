/**
 * An on-sale crowd signing in at once: N concurrent `login` calls through the gateway (50, 200,
 * 1,000 by default) with the production password cost (scrypt N = 2^15, r = 8, p = 1: ~100 ms and
 * 32 MiB each) and auth's default hashing gate. Per burst, from the first answers: sign-ins per
 * second, p50/p99 latency (all answers, and successes), answers by code; then, with every refused
 * fan coming back after the retryAfterSeconds it was told, how long until everyone was in. Beside
 * it, the ceiling: the bare scrypt rate of this machine with the same parameters, one hash per core
 * at a time, measured in the same run; and the ratios. Exits non-zero on any answer that is neither
 * a success nor a refusal carrying retryAfterSeconds. Writes a chart: sign-ins per second over each
 * burst beside the ceiling, and per burst the rates and the latency percentiles.
 *
 *   npm run bench -- sign-in-burst        (BENCH_SIZES=50,200,1000, BENCH_ACCOUNTS=50,
 *                                          BENCH_VERBOSE=1 prints the gateway's log causes)
 */
import { randomBytes, scrypt } from "node:crypto";
import http from "node:http";
import { availableParallelism } from "node:os";
import { graphqlRequest } from "@urr/testkit";
import { machineLine, writeChart } from "./lib/chart-file.ts";
import { type Interval, percentile, post, Timeline } from "./lib/load.ts";
import { startBenchStack } from "./lib/stack.ts";

const SIZES = (process.env.BENCH_SIZES || "50,200,1000").split(",").map(Number);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS || 50);
const LOG2N = 15;
const PASSWORD = "bench-password-1";
const LOGIN =
  "mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { user { id } } }";
const MAX_TRIES = 60;

/** The ceiling: hashes per second with the same scrypt parameters, one at a time per core. */
async function bareScryptRate(seconds: number): Promise<number> {
  const N = 2 ** LOG2N;
  const hashOnce = () =>
    new Promise<void>((resolve, reject) =>
      scrypt(PASSWORD, randomBytes(16), 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 }, (e) =>
        e ? reject(e) : resolve(),
      ),
    );
  let hashes = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      await hashOnce();
      hashes++;
    }
  };
  await Promise.all(Array.from({ length: availableParallelism() }, worker));
  return hashes / ((performance.now() - started) / 1000);
}

interface Answer {
  ms: number;
  /** "OK", or the error code (with " (no retryAfterSeconds)" when a refusal lacks it), or "HTTP <status>". */
  outcome: string;
  retryAfterSeconds?: number;
}

async function loginOnce(agent: http.Agent, url: URL, email: string): Promise<Answer> {
  const body = JSON.stringify({ query: LOGIN, variables: { e: email, p: PASSWORD } });
  const t0 = performance.now();
  try {
    const res = await post(agent, url, body, {});
    const ms = performance.now() - t0;
    if (res.status >= 500) return { ms, outcome: `HTTP ${res.status}` };
    const parsed = JSON.parse(res.body) as {
      data?: { login?: unknown };
      errors?: { extensions?: { code?: string; retryAfterSeconds?: number } }[];
    };
    const error = parsed.errors?.[0];
    if (!error && parsed.data?.login) return { ms, outcome: "OK" };
    const code = error?.extensions?.code ?? "no code";
    const retryAfter = error?.extensions?.retryAfterSeconds;
    if (typeof retryAfter === "number") return { ms, outcome: code, retryAfterSeconds: retryAfter };
    return { ms, outcome: code === "SERVICE_UNAVAILABLE" ? `${code} (no retryAfterSeconds)` : code };
  } catch (error) {
    return { ms: performance.now() - t0, outcome: `network: ${(error as Error).message}` };
  }
}

/** What a burst leaves for the chart. */
interface Burst {
  size: number;
  firstWaveRate: number;
  /** With retries; NaN when not everyone got in. */
  overallRate: number;
  p50: number;
  p99: number;
  signIns: Interval[];
}

function chart(bursts: Burst[], ceiling: number, cores: number): void {
  const longest = Math.max(1, ...bursts.flatMap((b) => b.signIns.map((i) => i.endSeconds)));
  const label = (b: Burst) => `${b.size} at once`;
  writeChart("sign-in-burst", {
    title: `Sign-in burst — login through the gateway at scrypt N=2^${LOG2N}`,
    context: [
      machineLine(),
      `ceiling: bare scrypt, ${cores} at a time, ${ceiling.toFixed(1)} hashes/s · first wave/ceiling ${bursts.map((b) => `${b.size}: ${(b.firstWaveRate / ceiling).toFixed(2)}`).join(", ")}`,
    ],
    panels: [
      {
        kind: "line",
        title: "Sign-ins per second over each burst, refused fans coming back after retryAfterSeconds",
        x: { label: "time since the burst began", unit: "s" },
        y: { label: "sign-ins", unit: "per s" },
        series: [
          ...bursts.map((b) => ({
            name: label(b),
            points: b.signIns.map((i) => ({ x: i.endSeconds, y: i.throughput })),
          })),
          {
            name: "bare scrypt (ceiling)",
            baseline: true,
            points: [
              { x: 0, y: ceiling },
              { x: longest, y: ceiling },
            ],
          },
        ],
      },
      {
        kind: "bar",
        title: "Sign-ins per second per burst (under each: first wave/ceiling)",
        y: { label: "sign-ins", unit: "per s" },
        groups: bursts.map(label),
        series: [
          { name: "first wave", values: bursts.map((b) => b.firstWaveRate) },
          { name: "everyone, with retries", values: bursts.map((b) => b.overallRate) },
          { name: "bare scrypt (ceiling)", baseline: true, values: bursts.map(() => ceiling) },
        ],
        notes: bursts.map((b) => `× ${(b.firstWaveRate / ceiling).toFixed(2)}`),
      },
      {
        kind: "bar",
        title: "First answers' latency per burst (successes and refusals)",
        y: { label: "latency", unit: "ms" },
        groups: bursts.map(label),
        series: [
          { name: "p50", values: bursts.map((b) => b.p50) },
          { name: "p99", values: bursts.map((b) => b.p99) },
        ],
      },
    ],
  });
}

const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;

async function main(): Promise<void> {
  const stack = await startBenchStack({ extraEnv: { auth: { PASSWORD_HASH_LOG2N: String(LOG2N) } } });
  try {
    const url = new URL(stack.plan.gatewayUrl);
    const emails = Array.from(
      { length: ACCOUNTS },
      (_, i) => `fan${i}-${randomBytes(3).toString("hex")}@urr.bench`,
    );
    // Accounts first, two at a time (each costs a hash; the gate would refuse a burst of them).
    for (let i = 0; i < emails.length; i += 2) {
      await Promise.all(
        emails.slice(i, i + 2).map(async (e) => {
          const res = await graphqlRequest(
            stack.plan.gatewayUrl,
            'mutation($e: String!, $p: String!) { register(input: { email: $e, password: $p, name: "Fan" }) { user { id } } }',
            { e, p: PASSWORD },
          );
          if (res.errors) throw new Error(`register failed: ${JSON.stringify(res.errors)}`);
        }),
      );
    }
    const ceiling = await bareScryptRate(4);
    const cores = availableParallelism();
    console.log(
      `\nsign-in burst — login through the gateway, scrypt N=2^${LOG2N} r=8 p=1, ${cores} cores, auth's default hashing gate`,
    );
    console.log(`ceiling: bare scrypt on this machine, ${cores} at a time: ${ceiling.toFixed(1)} hashes/s\n`);
    let failed = false;
    const bursts: Burst[] = [];
    for (const size of SIZES) {
      // A connection per request: a fan coming back after `retryAfterSeconds` on a kept-alive
      // socket the gateway has just closed (5 s idle) would measure the client, not the product.
      const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
      const started = performance.now();
      const signIns = new Timeline(started);
      const firstAnswers: Answer[] = new Array(size);
      let lastIn = 0;
      const tries: number[] = [];
      const left: string[] = [];
      // Each fan signs in; refused, comes back after the retryAfterSeconds it was told.
      await Promise.all(
        Array.from({ length: size }, async (_, i) => {
          const email = emails[i % emails.length] as string;
          for (let attempt = 1; ; attempt++) {
            const answer = await loginOnce(agent, url, email);
            if (attempt === 1) firstAnswers[i] = answer;
            if (answer.outcome === "OK") {
              lastIn = Math.max(lastIn, performance.now() - started);
              signIns.record(answer.ms);
              tries.push(attempt);
              return;
            }
            if (!answer.retryAfterSeconds || attempt >= MAX_TRIES) {
              left.push(answer.outcome);
              return;
            }
            await new Promise((r) => setTimeout(r, (answer.retryAfterSeconds ?? 1) * 1000));
          }
        }),
      );
      const byOutcome = new Map<string, number>();
      for (const a of firstAnswers) byOutcome.set(a.outcome, (byOutcome.get(a.outcome) ?? 0) + 1);
      const ok = firstAnswers.filter((a) => a.outcome === "OK");
      const firstWaveS = Math.max(...firstAnswers.map((a) => a.ms)) / 1000;
      const all = firstAnswers.map((a) => a.ms).sort((a, b) => a - b);
      const okMs = ok.map((a) => a.ms).sort((a, b) => a - b);
      const rate = ok.length / firstWaveS;
      console.log(
        `${String(size).padStart(5)} at once: ${rate.toFixed(1).padStart(5)} sign-ins/s = ${(rate / ceiling).toFixed(2)} × ceiling` +
          `   answers p50 ${fmt(percentile(all, 50))} p99 ${fmt(percentile(all, 99))}` +
          `   successes p50 ${fmt(percentile(okMs, 50))} p99 ${fmt(percentile(okMs, 99))}`,
      );
      console.log(`             first answers: ${[...byOutcome].map(([k, n]) => `${k} ${n}`).join(", ")}`);
      bursts.push({
        size,
        firstWaveRate: rate,
        overallRate: left.length > 0 ? Number.NaN : size / (lastIn / 1000),
        p50: percentile(all, 50),
        p99: percentile(all, 99),
        signIns: signIns.intervals(started + lastIn),
      });
      if (left.length > 0) {
        failed = true;
        console.log(`             NOT everyone got in: ${left.length} left (${left[0]})`);
      } else {
        const overall = size / (lastIn / 1000);
        console.log(
          `             with retries after retryAfterSeconds: everyone in after ${(lastIn / 1000).toFixed(1)} s, ` +
            `${overall.toFixed(1)} sign-ins/s = ${(overall / ceiling).toFixed(2)} × ceiling, ` +
            `tries per fan p50 ${percentile(
              tries.sort((a, b) => a - b),
              50,
            )} max ${tries.at(-1)}`,
        );
      }
      // Anything but a success or a refusal carrying retryAfterSeconds is a defect.
      if (firstAnswers.some((a) => a.outcome !== "OK" && !a.retryAfterSeconds)) failed = true;
      agent.destroy();
    }
    chart(bursts, ceiling, cores);
    if (process.env.BENCH_VERBOSE) {
      const causes = new Map<string, number>();
      for (const line of stack.gateway.output().split("\n")) {
        const cause = /"msg":"([^"]+)"/.exec(line)?.[1];
        const err = /"err":\{"type":"([^"]+)","message":"([^"]{0,80})/.exec(line);
        if (cause)
          causes.set(
            `${cause} ${err ? `${err[1]}: ${err[2]}` : ""}`,
            (causes.get(`${cause} ${err ? `${err[1]}: ${err[2]}` : ""}`) ?? 0) + 1,
          );
      }
      console.log("gateway log:", causes);
    }
    if (failed) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
