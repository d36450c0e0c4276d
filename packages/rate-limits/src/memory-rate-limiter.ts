import type { LimitsPerMinute, RateLimitCategory } from "./categories.ts";
import type { RateLimitDecision, RateLimiter } from "./decision.ts";
import { decisionOf, SLOT_MS, type Slots, takeFromWindow, WINDOW_SLOTS } from "./sliding-window.ts";

export interface MemoryRateLimiterOptions {
  limits: LimitsPerMinute;
  /** Most subjects kept; past it the least recently seen is forgotten (its count starts over). */
  maxSubjects?: number;
  clock?: () => number;
}

interface Entry {
  readonly slots: Slots;
  /** The newest slot that counted a call: once it leaves the window the entry is idle. */
  lastSlot: number;
}

export const DEFAULT_MAX_SUBJECTS = 100_000;

/**
 * The same sliding window in this process: embedded mode's limiter, and each replica's fallback
 * when Redis is down and the category's policy is `local`. Memory is bounded: entries are kept in
 * least-recently-seen order, idle ones (nothing counted in the last minute) are dropped from the
 * front as calls arrive, and past `maxSubjects` the least recently seen goes even if active.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly maxSubjects: number;
  private readonly clock: () => number;

  constructor(private readonly options: MemoryRateLimiterOptions) {
    this.maxSubjects = options.maxSubjects ?? DEFAULT_MAX_SUBJECTS;
    this.clock = options.clock ?? Date.now;
  }

  /** Subjects currently tracked (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  async take(subject: string, category: RateLimitCategory): Promise<RateLimitDecision> {
    const now = this.clock();
    const key = `${category}:${subject}`;
    const entry = this.entries.get(key) ?? { slots: new Map(), lastSlot: 0 };
    // Re-inserting moves the entry to the back: the front is always the least recently seen.
    this.entries.delete(key);
    this.entries.set(key, entry);
    const limit = this.options.limits[category];
    const outcome = takeFromWindow(entry.slots, now, limit);
    if (outcome.allowed) entry.lastSlot = Math.floor(now / SLOT_MS);
    this.evict(now);
    return decisionOf(outcome, category, limit, "memory");
  }

  private evict(now: number): void {
    const oldest = Math.floor(now / SLOT_MS) - WINDOW_SLOTS + 1;
    for (const [key, entry] of this.entries) {
      const idle = entry.lastSlot < oldest;
      if (!idle && this.entries.size <= this.maxSubjects) break;
      this.entries.delete(key);
    }
  }
}
