import { type PeriodicJob, startPeriodicJob } from "@urr/jobs";
import type { Logger } from "@urr/logger";
import type { PubSubEngine } from "graphql-subscriptions";

/** One channel for every stats replica and subscriber (Redis pub/sub, or in-process). */
export const STATS_CHANNEL = "urr:stats:updates";

/** "The figures changed": subscribers read the realtime view again. */
export interface StatsUpdate {
  at: number;
}

/** Even with no events, the realtime view changes as holds run out: refresh this often. */
const IDLE_REFRESH_MS = 30_000;

/**
 * Tells statsUpdates subscribers when to read again: after applied events, at most once per
 * interval however many arrive (an on-sale applies hundreds a second), and every 30 s when idle.
 */
export class StatsUpdates {
  private changed = false;
  private lastSent = 0;
  private job: PeriodicJob | undefined;

  constructor(
    private readonly deps: { pubsub: PubSubEngine; logger: Logger; intervalMs: number; now?: () => number },
  ) {}

  /** The projection committed a change. */
  readonly applied = (): void => {
    this.changed = true;
  };

  /** Publishes when something changed, or when the idle refresh is due; true when it published. */
  async flush(): Promise<boolean> {
    const now = this.deps.now?.() ?? Date.now();
    if (!this.changed && now - this.lastSent < IDLE_REFRESH_MS) return false;
    this.changed = false;
    this.lastSent = now;
    await this.deps.pubsub.publish(STATS_CHANNEL, { at: now } satisfies StatsUpdate);
    return true;
  }

  start(): void {
    this.job = startPeriodicJob({
      name: "stats updates",
      intervalMs: this.deps.intervalMs,
      logger: this.deps.logger,
      failureLevel: "warn",
      run: () => this.flush(),
    });
  }

  async stop(): Promise<void> {
    await this.job?.stop();
  }
}
