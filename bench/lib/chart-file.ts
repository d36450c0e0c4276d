import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import path from "node:path";
import type { Interval } from "./load.ts";
import { type Figure, type LineChart, renderFigure } from "./svg-chart.ts";

/**
 * Where a benchmark's picture goes: BENCH_OUT, or bench/results/ (git-ignored). The path is printed
 * beside the figures so a reader of the log finds the picture of the same run.
 */
export function writeChart(name: string, figure: Figure): string {
  const dir = process.env.BENCH_OUT || path.join(__dirname, "..", "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.svg`);
  writeFileSync(file, renderFigure(figure));
  console.log(`chart: ${path.relative(process.cwd(), file) || file}`);
  return file;
}

/**
 * The run's context, first line of a figure: a picture without the machine and the hour it was
 * measured on invites comparing it with another machine's.
 */
export function machineLine(): string {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  const model = cpus()[0]?.model.trim() ?? "unknown CPU";
  const at = new Date()
    .toISOString()
    .replace(/\.\d+Z$/, " UTC")
    .replace("T", " ");
  return `${at} · ${availableParallelism()} cores (${model}) · load average at the end ${load} · node ${process.version}`;
}

/** A run's intervals placed on the benchmark's clock: rounds that alternate sit side by side. */
export interface PlacedRun {
  offsetSeconds: number;
  intervals: readonly Interval[];
}

/**
 * One line across several runs of the same case, broken between them (the other case ran there),
 * and at seconds in which nothing finished.
 */
export function runsSeries(
  name: string,
  runs: readonly PlacedRun[],
  pick: (i: Interval) => number,
  style: { baseline?: boolean; colour?: number } = {},
): LineChart["series"][number] {
  const points = runs.flatMap((run) => [
    ...run.intervals.map((i) => ({
      x: run.offsetSeconds + i.endSeconds,
      y: i.requests > 0 ? pick(i) : null,
    })),
    { x: run.offsetSeconds + (run.intervals.at(-1)?.endSeconds ?? 0), y: null },
  ]);
  return { name, ...style, points };
}
