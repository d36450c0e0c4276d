import { type PeriodicJob, startPeriodicJob } from "@urr/jobs";
import type { Logger } from "@urr/logger";
import type { PubSubEngine } from "graphql-subscriptions";
import type { QueueStore, QueueTimeouts, TickOutcome } from "../store/queue-store.ts";
import { admissionRate } from "./estimates.ts";
import { tickChannel, tickOf } from "./queue-tick.ts";
import { waitingRoomMetrics } from "./waiting-room-metrics.ts";

export interface AdmissionSettings extends QueueTimeouts {
  intervalMs: number;
  /** Most users admitted per event per round (smooths a threshold raised by thousands). */
  maxBatch: number;
}

/**
 * Every `intervalMs`, for each event with users: one admission round (expire idle users, admit
 * waiters in number order up to the threshold) in one atomic script under a per-event lease, so
 * any number of queue instances run the worker and each event still gets one round per interval.
 * The instance that ran the round publishes one tick for the event: the new serving number.
 */
export class AdmissionWorker {
  private job: PeriodicJob | undefined;
  private readonly metrics = waitingRoomMetrics;

  constructor(
    private readonly deps: {
      store: QueueStore;
      pubsub: PubSubEngine;
      logger: Logger;
      settings: AdmissionSettings;
      onAdmitted?: (eventId: string, outcome: TickOutcome) => void;
    },
  ) {}

  /** One round over every busy event; returns the outcomes of the rounds this instance ran. */
  async runOnce(clock: () => number = Date.now): Promise<Map<string, TickOutcome>> {
    const { store, pubsub, settings } = this.deps;
    const outcomes = new Map<string, TickOutcome>();
    const busy = await store.busyEvents();
    this.metrics.keepOnly(new Set(busy));
    for (const eventId of busy) {
      // Each event's round is dated when it runs: its tick's `at` is what subscribers see as `asOf`.
      const now = clock();
      const outcome = await store.tick(eventId, now, {
        ...settings,
        // The lease ends just before the next round is due, whichever instance runs it.
        leaseMs: Math.max(1, settings.intervalMs - 50),
      });
      if (!outcome) {
        // Another instance ran this round; the room's size is the same for every instance.
        this.metrics.sized(eventId, await store.counters(eventId));
        continue;
      }
      this.metrics.sized(eventId, outcome.counters);
      outcomes.set(eventId, outcome);
      await pubsub.publish(
        tickChannel(eventId),
        tickOf(eventId, outcome.counters, admissionRate(outcome.counters, now), now),
      );
      if (outcome.admitted.length + outcome.expiredActive.length + outcome.expiredWaiting.length > 0) {
        this.deps.logger.debug(
          {
            eventId,
            admitted: outcome.admitted.length,
            expiredActive: outcome.expiredActive.length,
            expiredWaiting: outcome.expiredWaiting.length,
            serving: outcome.counters.serving,
          },
          "admission round",
        );
      }
    }
    return outcomes;
  }

  start(): void {
    // A failed round is retried by the next one, a second later.
    this.job = startPeriodicJob({
      name: "admission round",
      intervalMs: this.deps.settings.intervalMs,
      logger: this.deps.logger,
      failureLevel: "warn",
      run: () => this.runOnce(),
    });
  }

  async stop(): Promise<void> {
    await this.job?.stop();
  }
}
