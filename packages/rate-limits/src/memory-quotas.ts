import {
  type ApiKeyQuotas,
  type Quota,
  type QuotaDecision,
  type QuotaUsage,
  quotaDecision,
  quotaWindows,
} from "./quotas.ts";

interface Counts {
  minute: number;
  minuteCount: number;
  day: number;
  dayCount: number;
}

export interface MemoryQuotasOptions {
  /** Most keys kept; past it the least recently used is forgotten. */
  maxKeys?: number;
  clock?: () => number;
}

/** The same fixed windows in this process (embedded mode, and the `local` outage policy). */
export class MemoryQuotas implements ApiKeyQuotas {
  private readonly counts = new Map<string, Counts>();
  private readonly maxKeys: number;
  private readonly clock: () => number;

  constructor(options: MemoryQuotasOptions = {}) {
    this.maxKeys = options.maxKeys ?? 10_000;
    this.clock = options.clock ?? Date.now;
  }

  private current(keyId: string, now: number): Counts {
    const { minute, day } = quotaWindows(now);
    const stored = this.counts.get(keyId);
    this.counts.delete(keyId);
    const counts: Counts = {
      minute,
      day,
      minuteCount: stored?.minute === minute ? stored.minuteCount : 0,
      dayCount: stored?.day === day ? stored.dayCount : 0,
    };
    this.counts.set(keyId, counts);
    for (const key of this.counts.keys()) {
      if (this.counts.size <= this.maxKeys) break;
      this.counts.delete(key);
    }
    return counts;
  }

  async consumeQuota(keyId: string, quota: Quota): Promise<QuotaDecision> {
    const now = this.clock();
    const counts = this.current(keyId, now);
    const { decision, count } = quotaDecision(
      quota,
      { minute: counts.minuteCount, day: counts.dayCount },
      now,
      "memory",
    );
    if (count) {
      counts.minuteCount += 1;
      counts.dayCount += 1;
    }
    return decision;
  }

  async usage(keyId: string): Promise<QuotaUsage> {
    const counts = this.current(keyId, this.clock());
    return { minute: counts.minuteCount, day: counts.dayCount };
  }
}
