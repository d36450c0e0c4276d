import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "./composition.ts";

export interface ServiceSpec {
  /** Shown before every log line of the service. */
  name: string;
  /** TypeScript entry point, relative to the repository root. */
  entry: string;
  env: Record<string, string>;
  /** Polled until it answers 200. */
  readyUrl: string;
  /** Extra Node flags, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
}

export interface RunningService {
  spec: ServiceSpec;
  child: ChildProcess;
  /** Everything the process printed, for diagnostics when it fails to start. */
  output(): string;
}

export interface SupervisorOptions {
  /** Print the services' log lines (prefixed with their name). */
  echo?: boolean;
  readyTimeoutMs?: number;
  /**
   * Bundles by entry (see build.ts): a service whose entry has one runs it with plain `node`;
   * any other runs its TypeScript through tsx.
   */
  compiled?: ReadonlyMap<string, string>;
  /**
   * With bundles: the code cache preload of their build and the directory of the cache files (one
   * per service, see compile-cache.ts).
   */
  compileCache?: { preload: string; dir: string };
}

/**
 * Starts services as child processes (`node <bundle>`, or `node --import tsx <entry>` without
 * one), waits for their readiness endpoints and stops them all together. Used by `npm start` and
 * by end-to-end tests.
 */
export class Supervisor {
  private readonly running: RunningService[] = [];
  private stopping = false;

  constructor(private readonly options: SupervisorOptions = {}) {}

  async start(spec: ServiceSpec): Promise<RunningService> {
    const bundle = this.options.compiled?.get(spec.entry);
    const cache = bundle ? this.options.compileCache : undefined;
    const program = bundle
      ? [...(cache ? ["--require", cache.preload] : []), "--enable-source-maps", bundle]
      : ["--import", "tsx", path.join(ROOT, spec.entry)];
    const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), ...program], {
      cwd: ROOT,
      env: {
        ...process.env,
        APOLLO_TELEMETRY_DISABLED: "true",
        URR_EXIT_WITH_PARENT: "1",
        ...(cache ? { URR_COMPILE_CACHE: path.join(cache.dir, `${spec.name}.v8`) } : {}),
        ...spec.env,
      },
      // The child watches this pipe: when this process dies, however it dies, the pipe closes.
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-20_000);
      if (this.options.echo) {
        for (const line of text.split("\n")) if (line) process.stdout.write(`[${spec.name}] ${line}\n`);
      }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const service: RunningService = { spec, child, output: () => output };
    this.running.push(service);
    const spawnedAt = performance.now();
    await this.waitReady(service);
    if (this.options.echo) {
      process.stdout.write(`[${spec.name}] ready ${seconds(performance.now() - spawnedAt)} after spawn\n`);
    }
    return service;
  }

  /** Stops one service (tests use it to take a subgraph away). */
  async stop(name: string, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    // The live instance: a service stopped and started again has a newer entry.
    const index = this.running.findIndex(
      (s) => s.spec.name === name && s.child.exitCode === null && s.child.signalCode === null,
    );
    const service = this.running[index];
    if (!service) return;
    this.running.splice(index, 1);
    await stopProcess(service.child, signal);
  }

  /** Resolves when any service exits on its own (a crash). */
  firstExit(): Promise<RunningService> {
    return Promise.race(
      this.running.map(
        (service) =>
          new Promise<RunningService>((resolve) => service.child.once("exit", () => resolve(service))),
      ),
    );
  }

  async stopAll(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    // Gateway first (it was started last), then the subgraphs behind it.
    for (const service of [...this.running].reverse()) await stopProcess(service.child, signal);
  }

  private async waitReady(service: RunningService): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (service.child.exitCode !== null) {
        throw new Error(
          `${service.spec.name} exited with code ${service.child.exitCode}:\n${service.output()}`,
        );
      }
      try {
        const response = await fetch(service.spec.readyUrl, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${service.spec.name} was not ready within the timeout:\n${service.output()}`);
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill(signal);
  });
}
