import { ServiceUnavailableError } from "@urr/errors";
import { ConcurrencyGate } from "../src/concurrency-gate.ts";

/** Work that finishes when the test says so, recording how many run at once. */
function controllable() {
  let active = 0;
  let peak = 0;
  const pending: (() => void)[] = [];
  const order: number[] = [];
  const work = (id: number) => async () => {
    active++;
    peak = Math.max(peak, active);
    order.push(id);
    await new Promise<void>((resolve) => pending.push(resolve));
    active--;
    return id;
  };
  const finishOne = async () => {
    pending.shift()?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { work, finishOne, order, peak: () => peak, active: () => active };
}

const settle = () => new Promise((r) => setImmediate(r));

describe("ConcurrencyGate", () => {
  it("never runs more than `concurrency` at once and starts waiters in arrival order", async () => {
    const gate = new ConcurrencyGate({ name: "test", concurrency: 2, maxQueue: 10, maxWaitMs: 60_000 });
    const w = controllable();
    const results = Array.from({ length: 6 }, (_, i) => gate.run(w.work(i)));
    await settle();
    expect(w.active()).toBe(2);
    expect(gate.stats).toMatchObject({ running: 2, queued: 4 });
    for (let i = 0; i < 6; i++) {
      await w.finishOne();
      await settle();
    }
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(w.order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(w.peak()).toBe(2);
    expect(gate.stats).toMatchObject({ running: 0, queued: 0 });
  });

  it("refuses callers beyond the queue at once, with a code and retryAfterSeconds", async () => {
    const gate = new ConcurrencyGate({ name: "sign-in", concurrency: 1, maxQueue: 2, maxWaitMs: 60_000 });
    const w = controllable();
    const admitted = [gate.run(w.work(0)), gate.run(w.work(1)), gate.run(w.work(2))];
    const refused = gate.run(w.work(3));
    await expect(refused).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(refused).rejects.toMatchObject({
      extensions: {
        code: "SERVICE_UNAVAILABLE",
        reason: "OVERLOADED",
        retryAfterSeconds: expect.any(Number),
      },
    });
    const error = (await refused.catch((e: unknown) => e)) as ServiceUnavailableError;
    expect(error.extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(w.order).toEqual([0]); // the refused work never ran
    for (let i = 0; i < 3; i++) {
      await w.finishOne();
      await settle();
    }
    expect(await Promise.all(admitted)).toEqual([0, 1, 2]);
    expect(gate.stats.refused.queueFull).toBe(1);
  });

  it("refuses a waiter that has not started within maxWaitMs, and it never runs", async () => {
    jest.useFakeTimers();
    try {
      const gate = new ConcurrencyGate({ name: "test", concurrency: 1, maxQueue: 5, maxWaitMs: 1_000 });
      const w = controllable();
      const first = gate.run(w.work(0));
      const waiting = gate.run(w.work(1));
      const outcome = waiting.catch((e: unknown) => e);
      jest.advanceTimersByTime(1_001);
      expect(await outcome).toMatchObject({ extensions: { code: "SERVICE_UNAVAILABLE" } });
      expect(gate.stats).toMatchObject({ queued: 0, refused: { timedOut: 1 } });
      await w.finishOne();
      expect(await first).toBe(0);
      expect(w.order).toEqual([0]);
      expect(gate.stats.running).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it("refuses at the door when the expected wait already exceeds maxWaitMs", async () => {
    let now = 0;
    const gate = new ConcurrencyGate({
      name: "test",
      concurrency: 1,
      maxQueue: 100,
      maxWaitMs: 250,
      initialRunMs: 100,
      clock: () => now,
    });
    const w = controllable();
    const running = gate.run(w.work(0));
    const queued = [gate.run(w.work(1)), gate.run(w.work(2))]; // 100 ms and 200 ms of wait ahead
    await expect(gate.run(w.work(3))).rejects.toMatchObject({ extensions: { retryAfterSeconds: 1 } });
    expect(gate.stats.refused.waitTooLong).toBe(1);
    for (let i = 0; i < 3; i++) {
      now += 100;
      await w.finishOne();
      await settle();
    }
    expect(await Promise.all([running, ...queued])).toEqual([0, 1, 2]);
  });

  it("tells each refused caller of a crowd to wait longer than the one before (spreads the retries)", async () => {
    const gate = new ConcurrencyGate({
      name: "test",
      concurrency: 1,
      maxQueue: 0,
      maxWaitMs: 1_000,
      initialRunMs: 500,
      clock: () => 0,
    });
    const w = controllable();
    const running = gate.run(w.work(0));
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const error = (await gate.run(w.work(i + 1)).catch((e: unknown) => e)) as ServiceUnavailableError;
      waits.push(error.extensions.retryAfterSeconds as number);
    }
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(waits[0]).toBe(1);
    expect(waits[9]).toBe(5); // nine refused ahead of it, half a second each
    await w.finishOne();
    expect(await running).toBe(0);
  });

  it("frees the slot when the work throws", async () => {
    const gate = new ConcurrencyGate({ name: "test", concurrency: 1, maxQueue: 1, maxWaitMs: 60_000 });
    await expect(gate.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(async () => "next")).toBe("next");
    expect(gate.stats.running).toBe(0);
  });
});
