import type { EventHandlers } from "@urr/events";
import type { StatsStore } from "../repositories/stats-store.ts";
import { type ApplyOnce, statsFold } from "./stats-fold.ts";

export interface RebuildResult {
  eventsReplayed: number;
  tookMs: number;
}

const REPLAY_PAGE = 500;

/**
 * Applies consumed events to the facts, each exactly once: the processed-event record, the
 * journal entry and the fold commit in one transaction. `rebuild` drops the facts and folds the
 * journal again in one transaction; since the facts depend only on the events (never on arrival
 * order or time), it gives the same figures.
 */
export class StatsProjection {
  private readonly clock: () => Date;
  readonly handlers: EventHandlers;

  constructor(
    private readonly deps: {
      store: StatsStore;
      /** Told after each commit that changed the figures (live updates). */
      onApplied?: () => void;
      rebuildTimeoutMs?: number;
      clock?: () => Date;
    },
  ) {
    this.clock = deps.clock ?? (() => new Date());
    this.handlers = statsFold((topic, event, fold) => this.applyLive(topic, event, fold));
  }

  readonly handle = (message: unknown): Promise<string> => this.handlers.handle(message);

  private async applyLive(...[topic, event, fold]: Parameters<ApplyOnce>): Promise<string> {
    const outcome = await this.deps.store.transaction(async (repos) => {
      if (!(await repos.markProcessed(event))) return "duplicate";
      await repos.journal.record(topic, event, this.clock());
      await fold(repos);
      return "applied";
    });
    if (outcome === "applied") this.deps.onApplied?.();
    return outcome;
  }

  /**
   * Truncating takes processed_events first, the table a live application writes first, so the
   * two wait for each other instead of deadlocking; live events arriving meanwhile wait for the
   * commit, then apply on top of the rebuilt facts.
   */
  async rebuild(): Promise<RebuildResult> {
    const started = Date.now();
    const eventsReplayed = await this.deps.store.transaction(
      async (repos) => {
        await repos.resetProjection();
        const replay = statsFold(async (_topic, event, fold) => {
          if (!(await repos.markProcessed(event))) return "duplicate";
          await fold(repos);
          return "applied";
        });
        let replayed = 0;
        for (let page = await repos.journal.page(null, REPLAY_PAGE); page.length > 0; ) {
          for (const entry of page) await replay.handle(entry.envelope);
          replayed += page.length;
          const last = page[page.length - 1];
          page = last ? await repos.journal.page(last, REPLAY_PAGE) : [];
        }
        return replayed;
      },
      { timeout: this.deps.rebuildTimeoutMs ?? 600_000 },
    );
    this.deps.onApplied?.();
    return { eventsReplayed, tookMs: Date.now() - started };
  }
}
