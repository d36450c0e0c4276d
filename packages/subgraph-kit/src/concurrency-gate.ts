import { ServiceUnavailableError } from "@urr/errors";

/**
 * Bounds how many runs of a costly piece of work (password hashing, an export, a report) happen at
 * once, lets a bounded number of callers wait their turn in arrival order, and refuses the rest
 * with SERVICE_UNAVAILABLE and `retryAfterSeconds` — so a burst costs latency and coded refusals,
 * never a pile-up of work that outlives the caller's timeout.
 *
 * A caller is refused at once when the queue is full or when the wait it would face (estimated from
 * the recent run time) already exceeds `maxWaitMs`, and refused later when it has waited `maxWaitMs`
 * without starting. Keep `maxWaitMs` plus one run well below the timeout of whoever calls you (the
 * gateway gives a subgraph 10 s), or the caller gives up on answers you are still computing.
 */
export interface ConcurrencyGateOptions {
  /** Names the work in refusals (`reason` stays machine-readable). */
  name: string;
  /** Runs at once; for CPU-bound work, the cores (`os.availableParallelism()`). */
  concurrency: number;
  /** Callers that may wait; the next one is refused at once. */
  maxQueue: number;
  /** A waiter not started within this is refused. */
  maxWaitMs: number;
  /** Expected run time before any run was measured. */
  initialRunMs?: number;
  clock?: () => number;
}

export interface ConcurrencyGateStats {
  running: number;
  queued: number;
  /** Refusals since start, by why. */
  refused: { queueFull: number; waitTooLong: number; timedOut: number };
}

interface Waiter {
  start: () => void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

/** How quickly the run-time estimate follows new measurements (exponential moving average). */
const SMOOTHING = 0.2;
/** Recent refusals count towards the crowd ahead of the next one; they fade with this time constant. */
const PRESSURE_DECAY_MS = 1_000;
/** The longest wait a refusal asks for. */
const MAX_RETRY_AFTER_SECONDS = 60;

export class ConcurrencyGate {
  private running = 0;
  private readonly waiters: Waiter[] = [];
  private head = 0;
  private queued = 0;
  private runMs: number;
  private readonly refused = { queueFull: 0, waitTooLong: 0, timedOut: 0 };
  /** Refusals of the last moments, decayed: the crowd that will come back before the next one. */
  private pressure = 0;
  private pressureAt = 0;
  private readonly now: () => number;

  constructor(private readonly options: ConcurrencyGateOptions) {
    if (!(options.concurrency >= 1) || !(options.maxQueue >= 0) || !(options.maxWaitMs > 0)) {
      throw new RangeError(`${options.name} gate: concurrency ≥ 1, maxQueue ≥ 0 and maxWaitMs > 0`);
    }
    this.runMs = options.initialRunMs ?? 100;
    this.now = options.clock ?? (() => performance.now());
  }

  /** Runs `work` when a slot is free; throws ServiceUnavailableError when refused. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency || this.queued > 0) await this.waitForSlot();
    else this.running++;
    const started = this.now();
    try {
      return await work();
    } finally {
      this.runMs += SMOOTHING * (this.now() - started - this.runMs);
      this.release();
    }
  }

  get stats(): ConcurrencyGateStats {
    return { running: this.running, queued: this.queued, refused: { ...this.refused } };
  }

  /** The wait a caller arriving now would face, in ms (whole queue ahead, then one run). */
  private expectedWaitMs(ahead: number): number {
    return Math.ceil((ahead + 1) / this.options.concurrency) * this.runMs;
  }

  /**
   * Asks each refused caller to come back after the crowd ahead of it (the queue, and the callers
   * refused just before it, who will come back first) could be served: a burst is spread over time
   * instead of returning all at once after the same wait.
   */
  private refusal(reason: keyof ConcurrencyGateStats["refused"]): ServiceUnavailableError {
    this.refused[reason]++;
    const now = this.now();
    this.pressure = this.pressure * Math.exp(-(now - this.pressureAt) / PRESSURE_DECAY_MS) + 1;
    this.pressureAt = now;
    const crowdMs = this.expectedWaitMs(this.queued + Math.floor(this.pressure) - 1);
    const retryAfterSeconds = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(crowdMs / 1000)));
    return new ServiceUnavailableError(`Too many ${this.options.name} requests at once, retry shortly`, {
      reason: "OVERLOADED",
      retryAfterSeconds,
    });
  }

  private waitForSlot(): Promise<void> {
    if (this.queued >= this.options.maxQueue) return Promise.reject(this.refusal("queueFull"));
    if (this.expectedWaitMs(this.queued) > this.options.maxWaitMs) {
      return Promise.reject(this.refusal("waitTooLong"));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { start: resolve, timer: undefined, settled: false };
      waiter.timer = setTimeout(() => {
        if (waiter.settled) return;
        waiter.settled = true;
        this.queued--;
        reject(this.refusal("timedOut"));
      }, this.options.maxWaitMs);
      this.waiters.push(waiter);
      this.queued++;
    });
  }

  /** Hands the slot straight to the oldest live waiter (so `running` never dips and lets a newcomer in first). */
  private release(): void {
    while (this.head < this.waiters.length) {
      const next = this.waiters[this.head++] as Waiter;
      if (next.settled) continue;
      next.settled = true;
      clearTimeout(next.timer);
      this.queued--;
      this.compact();
      next.start();
      return;
    }
    this.running--;
    this.compact();
  }

  /** Drops the consumed prefix of the queue now and then, so it does not grow without bound. */
  private compact(): void {
    if (this.head === this.waiters.length) {
      this.waiters.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters.splice(0, this.head);
      this.head = 0;
    }
  }
}
