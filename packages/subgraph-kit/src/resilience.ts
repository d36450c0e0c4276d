/**
 * Resilience for synchronous calls between services: a timeout per attempt, a few retries with
 * exponential backoff for failures that may pass, and a circuit breaker so a service that is down
 * is not hammered (and callers fail fast) until it has had time to recover.
 */

export class CircuitOpenError extends Error {
  constructor(readonly service: string) {
    super(`${service} is unavailable (circuit open)`);
    this.name = "CircuitOpenError";
  }
}

type CircuitState = "closed" | "open" | "half-open";

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trial = false;

  constructor(
    private readonly options: {
      service: string;
      /** Consecutive failures that open the circuit. */
      failureThreshold?: number;
      /** How long it stays open before one trial call is let through. */
      resetAfterMs?: number;
      clock?: () => number;
    },
  ) {}

  get state(): CircuitState {
    if (this.failures < (this.options.failureThreshold ?? 5)) return "closed";
    return this.now() - this.openedAt >= (this.options.resetAfterMs ?? 10_000) ? "half-open" : "open";
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const state = this.state;
    // Half-open: exactly one trial at a time; everyone else still fails fast.
    if (state === "open" || (state === "half-open" && this.trial))
      throw new CircuitOpenError(this.options.service);
    if (state === "half-open") this.trial = true;
    try {
      const result = await call();
      this.failures = 0;
      return result;
    } catch (error) {
      this.failures++;
      if (this.failures >= (this.options.failureThreshold ?? 5)) this.openedAt = this.now();
      throw error;
    } finally {
      if (state === "half-open") this.trial = false;
    }
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }
}

/** Retries `attempt` while `retryable(error)`, waiting base·2ⁿ (with jitter) between tries. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: { retries: number; baseDelayMs: number; retryable: (error: unknown) => boolean },
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= options.retries || !options.retryable(error)) throw error;
      const delay = options.baseDelayMs * 2 ** n;
      await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)));
    }
  }
}
