/**
 * How long `npm start` takes to answer: from spawning `scripts/start.ts` to the first events query
 * answered through the gateway, and to the printed banner (every service ready), with the CPU
 * seconds the whole process tree had used by the first answer (Linux: /proc). Cases, in order:
 *
 *   fresh clone    new data directory, no bundles, no cached initdb, no tsx cache
 *   restart        the same data directory again
 *   new data dir   another new data directory, with the bundles and the initdb cached
 *   tsx restart    the baseline: the restart with URR_BUNDLE=false (TypeScript through tsx, its
 *                  cache warm), and the ratio of the restart to it
 *
 *   npm run bench -- start-up          (BENCH_RUNS=1: rounds of all cases)
 *
 * The caches of the "fresh clone" case live in a directory of their own under .urr/ (the bundles
 * must sit inside the repository to find node_modules), removed at the end with the data. Writes a
 * chart of every case's seconds, the restart's ratio to the tsx restart under it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, graphqlRequest } from "@urr/testkit";
import YAML from "yaml";
import { machineLine, writeChart } from "./lib/chart-file.ts";

const ROOT = path.resolve(__dirname, "..");
/** AUTH, CATALOG, …: every subgraph of supergraph.yaml gets a free port (`<NAME>_PORT`). */
const SUBGRAPH_NAMES = Object.keys(
  (YAML.parse(readFileSync(path.join(ROOT, "supergraph.yaml"), "utf8")) as { subgraphs: object }).subgraphs,
).map((name) => name.toUpperCase());
const RUNS = Number(process.env.BENCH_RUNS || 1);
const TIMEOUT_MS = 300_000;

interface Figures {
  firstAnswer: number;
  banner: number | undefined;
  cpu: number | undefined;
}

/** user + system seconds of a process group's live members (they are all alive at the first answer). */
function groupCpuSeconds(pgid: number): number | undefined {
  if (!existsSync("/proc/self/stat")) return undefined;
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // After the command: state(0) ppid(1) pgrp(2) … utime(11) stime(12); 100 ticks a second.
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks / 100;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.pid) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    process.kill(-(child.pid as number), "SIGTERM");
  });
}

async function startOnce(env: Record<string, string>): Promise<Figures> {
  const gatewayPort = await freePort();
  const ports: Record<string, string> = { PORT: String(gatewayPort) };
  for (const name of SUBGRAPH_NAMES) {
    ports[`${name}_PORT`] = String(await freePort());
  }
  const began = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: "", LOG_LEVEL: "warn", ...ports, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so the whole tree is measured and stopped together.
    detached: true,
  });
  let output = "";
  let banner: number | undefined;
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (banner === undefined && output.includes("URR Supergraph is running")) {
      banner = (performance.now() - began) / 1000;
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  try {
    const endpoint = `http://127.0.0.1:${gatewayPort}/graphql`;
    while (performance.now() - began < TIMEOUT_MS) {
      if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
      const answer = await graphqlRequest<{ events: { edges: unknown[] } }>(
        endpoint,
        "{ events(first: 1) { edges { node { id } } } }",
      ).catch(() => undefined);
      if (answer?.data?.events) {
        const firstAnswer = (performance.now() - began) / 1000;
        const cpu = groupCpuSeconds(child.pid as number);
        while (banner === undefined && child.exitCode === null) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return { firstAnswer, banner, cpu };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`npm start did not answer within ${TIMEOUT_MS / 1000} s:\n${output}`);
  } finally {
    await stop(child);
  }
}

const s = (value: number | undefined) => (value === undefined ? "n/a" : `${value.toFixed(1)} s`);

function print(name: string, f: Figures): void {
  console.log(
    `${name.padEnd(14)} first answer ${s(f.firstAnswer).padStart(7)}   banner ${s(f.banner).padStart(7)}   cpu ${s(f.cpu).padStart(7)}`,
  );
}

/** Every case of every run, seconds side by side; the restart's ratio to the tsx restart under it. */
function chart(cases: { name: string; figures: Figures; note?: string }[]): void {
  const seconds = (pick: (f: Figures) => number | undefined) =>
    cases.map((c) => pick(c.figures) ?? Number.NaN);
  writeChart("start-up", {
    title: "Start-up — npm start to the first answer through the gateway",
    context: [
      machineLine(),
      `${RUNS} run(s) of every case; under the restart: restart/tsx restart first answer`,
    ],
    panels: [
      {
        kind: "bar",
        title: "Seconds from spawn, and CPU seconds of the process tree at the first answer",
        y: { label: "time", unit: "s" },
        groups: cases.map((c) => c.name),
        series: [
          { name: "first answer", values: seconds((f) => f.firstAnswer) },
          { name: "banner (every service ready)", values: seconds((f) => f.banner) },
          { name: "CPU of the process tree", values: seconds((f) => f.cpu) },
        ],
        notes: cases.map((c) => c.note ?? ""),
      },
    ],
  });
}

async function main(): Promise<void> {
  const cases: { name: string; figures: Figures; note?: string }[] = [];
  const suffix = (run: number) => (RUNS > 1 ? ` (run ${run})` : "");
  for (let run = 1; run <= RUNS; run++) {
    const data = mkdtempSync(path.join(tmpdir(), "urr-bench-start-"));
    const tsxCache = mkdtempSync(path.join(tmpdir(), "urr-bench-tmp-"));
    mkdirSync(path.join(ROOT, ".urr"), { recursive: true });
    const caches = mkdtempSync(path.join(ROOT, ".urr", "bench-start-"));
    try {
      const cold = { URR_CACHE_DIR: caches, TMPDIR: tsxCache };
      const fresh = await startOnce({ ...cold, URR_DATA_DIR: path.join(data, "a") });
      print("fresh clone", fresh);
      const restart = await startOnce({ ...cold, URR_DATA_DIR: path.join(data, "a") });
      print("restart", restart);
      const newData = await startOnce({ ...cold, URR_DATA_DIR: path.join(data, "b") });
      print("new data dir", newData);
      const tsx = await startOnce({ ...cold, URR_DATA_DIR: path.join(data, "a"), URR_BUNDLE: "false" });
      print("tsx restart", tsx);
      cases.push(
        { name: `fresh clone${suffix(run)}`, figures: fresh },
        {
          name: `restart${suffix(run)}`,
          figures: restart,
          note: `× ${(restart.firstAnswer / tsx.firstAnswer).toFixed(2)} of tsx`,
        },
        { name: `new data dir${suffix(run)}`, figures: newData },
        { name: `tsx restart (baseline)${suffix(run)}`, figures: tsx },
      );
      console.log(
        `restart / tsx restart: first answer ${(restart.firstAnswer / tsx.firstAnswer).toFixed(2)}` +
          (restart.cpu && tsx.cpu ? `, cpu ${(restart.cpu / tsx.cpu).toFixed(2)}` : ""),
      );
    } finally {
      for (const dir of [data, tsxCache, caches]) rmSync(dir, { recursive: true, force: true });
    }
  }
  chart(cases);
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
