import { type PeriodicJob, startPeriodicJob } from "@urr/jobs";
import type { Logger } from "@urr/logger";
import type { SeatLockStore } from "../locks/seat-lock-store.ts";
import type { TicketStore } from "../repositories/ticket-store.ts";
import { publishExpired } from "./reservation-lifecycle.ts";
import { type ReleasedSeat, releaseReservation, releaseSeatLocks } from "./reservation-release.ts";
import { saleMetrics } from "./sale-metrics.ts";

export interface SweepResult {
  reservations: number;
  seats: number;
}

/**
 * Releases pending reservations whose hold expired. Each batch locks its rows with
 * `FOR UPDATE SKIP LOCKED`, so any number of ticket instances can sweep at once and every
 * reservation is released by exactly one of them.
 */
export class ExpirySweeper {
  private job: PeriodicJob | undefined;

  constructor(
    private readonly deps: {
      store: TicketStore;
      locks: SeatLockStore;
      logger: Logger;
      clock?: () => Date;
      batchSize?: number;
    },
  ) {}

  async sweepOnce(): Promise<SweepResult> {
    const now = this.deps.clock?.() ?? new Date();
    const released: ReleasedSeat[] = [];
    const count = await this.deps.store.transaction(async (repos) => {
      const ids = await repos.reservations.lockExpired(now, this.deps.batchSize ?? 200);
      for (const id of ids) {
        const reservation = await repos.reservations.findById(id);
        if (!reservation) continue;
        released.push(...(await releaseReservation(repos, reservation)));
        await repos.reservations.end(id, "EXPIRED", "EXPIRED");
        await publishExpired(repos, reservation, now);
      }
      return ids.length;
    });
    await releaseSeatLocks(this.deps.locks, released, this.deps.logger);
    saleMetrics.reservationsEnded("expired", count);
    if (count)
      this.deps.logger.info({ reservations: count, seats: released.length }, "expired holds released");
    return { reservations: count, seats: released.length };
  }

  start(intervalMs: number): void {
    this.job = startPeriodicJob({
      name: "expiry sweep",
      intervalMs,
      logger: this.deps.logger,
      run: () => this.sweepOnce(),
    });
  }

  async stop(): Promise<void> {
    await this.job?.stop();
  }
}
