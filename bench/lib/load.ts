import { readFileSync } from "node:fs";
import http from "node:http";

/**
 * A closed-loop HTTP load generator: `concurrency` workers each send the next request as soon as the
 * previous answers, for `durationMs`. Keep-alive connections, latencies recorded per request.
 */
export interface LoadOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  concurrency: number;
  durationMs: number;
  /** Checks each response body; a false counts as an error. */
  isOk?: (status: number, body: string) => boolean;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Per second of the run, when the run recorded a Timeline (runLoad does). */
  timeline?: Interval[];
}

/** One second (or `widthMs`) of a run: what finished in it. */
export interface Interval {
  /** Seconds from the run's start to the end of this interval: the x of a chart. */
  endSeconds: number;
  requests: number;
  errors: number;
  /** Requests per second over the interval (a short last interval is scaled, not undercounted). */
  throughput: number;
  p50: number;
  p99: number;
}

/**
 * Latencies bucketed by the time each request finished, so a chart shows how a run went (a stall,
 * a slow start, a baseline that drifts), not only its totals. One per run; benchmarks that time
 * requests themselves record into one too.
 */
export class Timeline {
  private readonly buckets: { latencies: number[]; errors: number }[] = [];

  constructor(
    readonly started = performance.now(),
    readonly widthMs = 1000,
  ) {}

  record(latencyMs: number, ok = true, finishedAt = performance.now()): void {
    const index = Math.max(0, Math.floor((finishedAt - this.started) / this.widthMs));
    for (let i = this.buckets.length; i <= index; i++) this.buckets.push({ latencies: [], errors: 0 });
    const bucket = this.buckets[index];
    bucket?.latencies.push(latencyMs);
    if (bucket && !ok) bucket.errors++;
  }

  /** The intervals up to `endedAt`; a last one shorter than half an interval is dropped as noise. */
  intervals(endedAt = performance.now()): Interval[] {
    const out: Interval[] = [];
    this.buckets.forEach((bucket, i) => {
      const from = i * this.widthMs;
      const width = Math.min(this.widthMs, endedAt - this.started - from);
      if (width < this.widthMs / 2) return;
      const sorted = [...bucket.latencies].sort((a, b) => a - b);
      out.push({
        endSeconds: (from + width) / 1000,
        requests: sorted.length,
        errors: bucket.errors,
        throughput: sorted.length / (width / 1000),
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
      });
    });
    return out;
  }
}

/** One keep-alive POST, the whole body buffered. */
export function post(agent: http.Agent, url: URL, body: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const url = new URL(options.url);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const timeline = new Timeline(started);
  const deadline = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      let ok = true;
      try {
        const res = await post(agent, url, options.body, options.headers);
        if (options.isOk && !options.isOk(res.status, res.body)) ok = false;
      } catch {
        ok = false;
      }
      const t1 = performance.now();
      if (!ok) errors++;
      latencies.push(t1 - t0);
      timeline.record(t1 - t0, ok, t1);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const ended = performance.now();
  agent.destroy();
  return { ...summarize(latencies, errors, (ended - started) / 1000), timeline: timeline.intervals(ended) };
}

/** Figures of a run from its latencies (sorted here, in place) over `seconds`. */
export function summarize(latencies: number[], errors: number, seconds: number): LoadResult {
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    throughput: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
  };
}

/** Resident memory of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** The fields of /proc/<pid>/stat after the command name (which is in parentheses, may hold spaces). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** CPU time (user + system) a process has used so far in ms, from /proc (Linux; 100 ticks/s). */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    // utime and stime: fields 14 and 15 of the line, 11 and 12 after the command name.
    const fields = statFields(readFileSync(`/proc/${pid}/stat`, "utf8"));
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Rows as a Markdown table, columns in the order of the first row's keys. */
export function markdownTable(rows: readonly Record<string, string | number>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const lines = [
    columns,
    columns.map(() => "---"),
    ...rows.map((row) => columns.map((c) => String(row[c] ?? ""))),
  ];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

export function formatRow(label: string, r: LoadResult): string {
  return `${label.padEnd(34)} ${r.throughput.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(7)} ms   p90 ${r.p90
    .toFixed(2)
    .padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms   errors ${r.errors}/${r.requests}`;
}

/** A seeded generator (LCG): both halves of a benchmark see the same "random" choices. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
