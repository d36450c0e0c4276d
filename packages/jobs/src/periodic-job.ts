import type { Logger } from "@urr/logger";

/** A job that runs on a timer in the background of a service (sweeper, relay, reconciler, round). */
export interface PeriodicJob {
  /** Stops the timer and waits for the run under way, if any, to end. Safe to call twice. */
  stop(): Promise<void>;
  /** Ticks skipped so far because the previous run was still going (a sign the interval is short). */
  readonly skippedTicks: number;
}

export interface PeriodicJobOptions {
  /** Names the job in its log lines. */
  name: string;
  /** Time between ticks; 0 or less starts nothing (the job is switched off). */
  intervalMs: number;
  /** One run. A rejection is logged and the next tick runs again: one failure never ends the job. */
  run: () => Promise<unknown>;
  logger: Logger;
  /** Asked at each tick; false skips that tick without counting it (a back-off, say). */
  due?: () => boolean;
  /** Level of the failure line: `warn` for jobs whose next tick simply retries. */
  failureLevel?: "error" | "warn";
}

/**
 * Runs `run` every `intervalMs`, never two at once: a tick that finds the previous run still going
 * is skipped, so a run slower than its interval neither overlaps the next nor queues runs without
 * bound behind it. The timer does not keep the process alive.
 */
export function startPeriodicJob(options: PeriodicJobOptions): PeriodicJob {
  const { name, intervalMs, run, logger } = options;
  let current: Promise<void> | undefined;
  let stopped = false;
  let skippedTicks = 0;

  const tick = () => {
    if (stopped) return;
    if (current) {
      skippedTicks += 1;
      return;
    }
    if (options.due && !options.due()) return;
    current = run()
      .then(
        () => undefined,
        (err: unknown) => logger[options.failureLevel ?? "error"]({ err, job: name }, `${name} failed`),
      )
      .finally(() => {
        current = undefined;
      });
  };

  const timer = intervalMs > 0 ? setInterval(tick, intervalMs) : undefined;
  timer?.unref();
  return {
    get skippedTicks() {
      return skippedTicks;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
