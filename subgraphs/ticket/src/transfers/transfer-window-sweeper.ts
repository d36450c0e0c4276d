import { type PeriodicJob, startPeriodicJob } from "@urr/jobs";
import type { Logger } from "@urr/logger";
import type { TicketStore } from "../repositories/ticket-store.ts";

/**
 * Puts listings whose buyer's payment window lapsed back on the marketplace (RESERVED → LISTED).
 * Each batch locks its rows with `FOR UPDATE SKIP LOCKED`, so any number of ticket instances sweep
 * at once and a claim or payment holding a row is skipped, not waited for. A lapsed window counts
 * as open to other buyers even before the sweep (see `heldBy`); the sweep makes the listing show it.
 */
export class TransferWindowSweeper {
  private job: PeriodicJob | undefined;

  constructor(
    private readonly deps: { store: TicketStore; logger: Logger; clock?: () => Date; batchSize?: number },
  ) {}

  async sweepOnce(): Promise<number> {
    const now = this.deps.clock?.() ?? new Date();
    const relisted = await this.deps.store.transaction(async (repos) => {
      const ids = await repos.transfers.lockLapsed(now, this.deps.batchSize ?? 200);
      await repos.transfers.relist(ids);
      return ids.length;
    });
    if (relisted) this.deps.logger.info({ transfers: relisted }, "lapsed transfer payment windows relisted");
    return relisted;
  }

  start(intervalMs: number): void {
    this.job = startPeriodicJob({
      name: "transfer window sweep",
      intervalMs,
      logger: this.deps.logger,
      run: () => this.sweepOnce(),
    });
  }

  async stop(): Promise<void> {
    await this.job?.stop();
  }
}
