import type { Logger } from "@urr/logger";
import { startPeriodicJob } from "../src/index.ts";

/** A logger that records what it was asked to log. */
function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (_fields: unknown, message: string) => {
    lines.push({ level, message });
  };
  return { lines, error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") } as never;
}

/** A promise and the function that resolves it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const tick = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe("startPeriodicJob", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("runs once per interval", async () => {
    const run = jest.fn(async () => {});
    const job = startPeriodicJob({ name: "sweep", intervalMs: 100, run, logger: recordingLogger() });
    await tick(350);
    expect(run).toHaveBeenCalledTimes(3);
    await job.stop();
  });

  it("skips ticks while a run is under way instead of overlapping or queueing them", async () => {
    const slow = gate();
    let running = 0;
    let most = 0;
    const run = jest.fn(async () => {
      running += 1;
      most = Math.max(most, running);
      await slow.promise;
      running -= 1;
    });
    const job = startPeriodicJob({ name: "relay", intervalMs: 100, run, logger: recordingLogger() });
    await tick(1_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(job.skippedTicks).toBe(9);
    slow.open();
    await tick(100);
    // Once the slow run ended, the next tick runs once: the skipped ticks were not queued.
    expect(run).toHaveBeenCalledTimes(2);
    expect(most).toBe(1);
    await job.stop();
  });

  it("logs a failed run under the job's name and keeps running", async () => {
    const logger = recordingLogger();
    const run = jest.fn().mockRejectedValueOnce(new Error("database away")).mockResolvedValue(undefined);
    const job = startPeriodicJob({ name: "reconciler", intervalMs: 100, run, logger, failureLevel: "warn" });
    await tick(300);
    expect(run).toHaveBeenCalledTimes(3);
    expect(logger.lines).toEqual([{ level: "warn", message: "reconciler failed" }]);
    await job.stop();
  });

  it("stop waits for the run under way and starts no other", async () => {
    const slow = gate();
    let finished = false;
    const run = jest.fn(async () => {
      await slow.promise;
      finished = true;
    });
    const job = startPeriodicJob({ name: "round", intervalMs: 100, run, logger: recordingLogger() });
    await tick(100);
    const stopped = job.stop();
    let stopResolved = false;
    void stopped.then(() => {
      stopResolved = true;
    });
    await tick(500);
    expect(stopResolved).toBe(false);
    slow.open();
    await stopped;
    expect(finished).toBe(true);
    await tick(500);
    expect(run).toHaveBeenCalledTimes(1);
    await job.stop();
  });

  it("asks `due` before each run, so a job can back off", async () => {
    let due = false;
    const run = jest.fn(async () => {});
    const job = startPeriodicJob({
      name: "relay",
      intervalMs: 100,
      run,
      logger: recordingLogger(),
      due: () => due,
    });
    await tick(300);
    expect(run).not.toHaveBeenCalled();
    due = true;
    await tick(100);
    expect(run).toHaveBeenCalledTimes(1);
    expect(job.skippedTicks).toBe(0);
    await job.stop();
  });

  it("starts nothing when the interval is zero", async () => {
    const run = jest.fn(async () => {});
    const job = startPeriodicJob({ name: "off", intervalMs: 0, run, logger: recordingLogger() });
    await tick(1_000);
    expect(run).not.toHaveBeenCalled();
    await job.stop();
  });
});
