import { randomUUID } from "node:crypto";
import { type ApiKeyUsageBatch, type ApiKeyUsageEntry, USAGE_BATCH_MAX_ENTRIES } from "@urr/contracts";
import type { Logger } from "@urr/logger";

export interface UsageSink {
  reportUsage(batch: ApiKeyUsageBatch): Promise<unknown>;
}

/**
 * Counts the operations each partner key ran, per UTC day, and reports them to auth (which keeps
 * the daily totals admins read) every few seconds. A batch keeps its id until auth acknowledged it,
 * so a lost answer is re-sent and applied once; counts made meanwhile wait for the next batch.
 * (Quotas are enforced at the edge from Redis; this is the accounting, and it may lag by a flush.)
 */
export class UsageMeter {
  private counts = new Map<string, number>();
  private pending: ApiKeyUsageBatch | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly sink: UsageSink,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  count(keyId: string): void {
    const key = `${keyId} ${this.now().toISOString().slice(0, 10)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Sends what was counted (and any batch not yet acknowledged); one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.send().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async send(): Promise<void> {
    if (!this.pending && this.counts.size > 0) {
      const entries: ApiKeyUsageEntry[] = [];
      for (const [key, operations] of this.counts) {
        if (entries.length >= USAGE_BATCH_MAX_ENTRIES) break;
        const [keyId = "", day = ""] = key.split(" ");
        entries.push({ keyId, day, operations });
        this.counts.delete(key);
      }
      this.pending = { batchId: randomUUID(), entries };
    }
    const batch = this.pending;
    if (!batch) return;
    try {
      await this.sink.reportUsage(batch);
      this.pending = undefined;
    } catch (error) {
      this.logger.warn({ err: error, batchId: batch.batchId }, "usage report failed; re-sent next flush");
    }
  }
}
