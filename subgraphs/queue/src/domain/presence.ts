import { type PeriodicJob, startPeriodicJob } from "@urr/jobs";
import type { Logger } from "@urr/logger";
import type { QueueStore } from "../store/queue-store.ts";

/**
 * A fan with an open `queuePosition` subscription is present: this process refreshes all of its
 * subscribers' heartbeats in one call per event every interval, so subscribers need not send
 * heartbeats and are never dropped as idle while connected.
 */
export class Presence {
  private readonly watchers = new Map<string, Map<string, number>>();
  private job: PeriodicJob | undefined;

  constructor(
    private readonly store: QueueStore,
    private readonly logger: Logger,
  ) {}

  enter(eventId: string, userId: string): () => void {
    const users = this.watchers.get(eventId) ?? new Map<string, number>();
    this.watchers.set(eventId, users);
    users.set(userId, (users.get(userId) ?? 0) + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const count = (users.get(userId) ?? 1) - 1;
      if (count > 0) users.set(userId, count);
      else users.delete(userId);
      if (users.size === 0) this.watchers.delete(eventId);
    };
  }

  async refresh(now = Date.now()): Promise<void> {
    for (const [eventId, users] of this.watchers) {
      await this.store.touch(eventId, [...users.keys()], now);
    }
  }

  start(intervalMs: number): void {
    this.job = startPeriodicJob({
      name: "presence refresh",
      intervalMs,
      logger: this.logger,
      failureLevel: "warn",
      run: () => this.refresh(),
    });
  }

  async stop(): Promise<void> {
    await this.job?.stop();
  }
}
