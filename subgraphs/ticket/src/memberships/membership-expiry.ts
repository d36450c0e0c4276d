import { type PeriodicJob, startPeriodicJob } from "@urr/jobs";
import type { Logger } from "@urr/logger";
import type { TicketStore } from "../repositories/ticket-store.ts";
import { applyChange } from "./membership-ledger.ts";

/**
 * Ends memberships whose paid term ran out: ACTIVE → EXPIRED, an EXPIRY entry in the point log and
 * `membership.expired` in the outbox, in one transaction per batch. Each batch locks its rows with
 * `FOR UPDATE SKIP LOCKED`, so any number of ticket instances can sweep at once and each membership
 * is expired by exactly one of them; a renewal in flight holds the row and is simply skipped.
 * Benefits do not wait for the sweep: a term past its end already counts as BRONZE.
 */
export class MembershipExpirySweeper {
  private job: PeriodicJob | undefined;

  constructor(
    private readonly deps: { store: TicketStore; logger: Logger; clock?: () => Date; batchSize?: number },
  ) {}

  async sweepOnce(): Promise<number> {
    const now = this.deps.clock?.() ?? new Date();
    const expired = await this.deps.store.transaction(async (repos) => {
      const ids = await repos.memberships.lockLapsed(now, this.deps.batchSize ?? 200);
      for (const membership of await repos.memberships.findByIds(ids)) {
        await applyChange(repos, membership, {
          action: "EXPIRY",
          points: 0,
          description: "The term ended",
          at: now,
          status: "EXPIRED",
          announce: { kind: "EXPIRED" },
        });
      }
      return ids.length;
    });
    if (expired) this.deps.logger.info({ memberships: expired }, "memberships expired");
    return expired;
  }

  start(intervalMs: number): void {
    this.job = startPeriodicJob({
      name: "membership expiry sweep",
      intervalMs,
      logger: this.deps.logger,
      run: () => this.sweepOnce(),
    });
  }

  async stop(): Promise<void> {
    await this.job?.stop();
  }
}
