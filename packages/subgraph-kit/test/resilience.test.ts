import { CircuitBreaker, CircuitOpenError, withRetries } from "../src/resilience.ts";

describe("circuit breaker", () => {
  let now = 0;
  const breaker = () =>
    new CircuitBreaker({ service: "ticket", failureThreshold: 3, resetAfterMs: 1_000, clock: () => now });
  const fail = () => Promise.reject(new Error("down"));

  it("opens after consecutive failures and then fails fast without calling", async () => {
    const circuit = breaker();
    for (let i = 0; i < 3; i++) await expect(circuit.run(fail)).rejects.toThrow("down");
    let called = false;
    await expect(
      circuit.run(async () => {
        called = true;
      }),
    ).rejects.toBeInstanceOf(CircuitOpenError);
    expect(called).toBe(false);
    expect(circuit.state).toBe("open");
  });

  it("lets one trial through after the reset time; success closes it, failure reopens it", async () => {
    const circuit = breaker();
    for (let i = 0; i < 3; i++) await expect(circuit.run(fail)).rejects.toThrow();
    now += 1_000;
    expect(circuit.state).toBe("half-open");
    let release: () => void = () => {};
    const trial = circuit.run(() => new Promise<string>((resolve) => (release = () => resolve("ok"))));
    await expect(circuit.run(async () => "second")).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    await expect(trial).resolves.toBe("ok");
    expect(circuit.state).toBe("closed");

    for (let i = 0; i < 3; i++) await expect(circuit.run(fail)).rejects.toThrow();
    now += 1_000;
    await expect(circuit.run(fail)).rejects.toThrow("down");
    expect(circuit.state).toBe("open");
  });

  it("a success resets the failure count", async () => {
    const circuit = breaker();
    await expect(circuit.run(fail)).rejects.toThrow();
    await expect(circuit.run(fail)).rejects.toThrow();
    await circuit.run(async () => "fine");
    await expect(circuit.run(fail)).rejects.toThrow();
    expect(circuit.state).toBe("closed");
  });
});

describe("withRetries", () => {
  it("retries retryable failures up to the limit", async () => {
    let attempts = 0;
    const result = await withRetries(
      async () => {
        attempts++;
        if (attempts < 3) throw new Error("transient");
        return "done";
      },
      { retries: 2, baseDelayMs: 1, retryable: () => true },
    );
    expect({ result, attempts }).toEqual({ result: "done", attempts: 3 });
  });

  it("does not retry what cannot pass, and gives up after the limit", async () => {
    let attempts = 0;
    const attempt = async () => {
      attempts++;
      throw new Error("bad request");
    };
    await expect(
      withRetries(attempt, { retries: 5, baseDelayMs: 1, retryable: () => false }),
    ).rejects.toThrow();
    expect(attempts).toBe(1);
    attempts = 0;
    await expect(
      withRetries(attempt, { retries: 2, baseDelayMs: 1, retryable: () => true }),
    ).rejects.toThrow();
    expect(attempts).toBe(3);
  });
});
