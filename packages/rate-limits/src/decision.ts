import type { RateLimitCategory } from "./categories.ts";

/** Where an answer came from: the limiter's own store, this replica's fallback, or nowhere. */
export type DecisionSource = "redis" | "memory" | "unchecked";

/** One call counted (or refused) against a category's per-minute limit for one subject. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly category: RateLimitCategory;
  /** Calls allowed per window. */
  readonly limit: number;
  /** Calls left in the window after this one. */
  readonly remaining: number;
  /** Seconds until the oldest counted call leaves the window (when `remaining` next grows). */
  readonly resetSeconds: number;
  /** 0 when allowed; otherwise seconds until a call would be allowed. */
  readonly retryAfterSeconds: number;
  readonly windowSeconds: number;
  /** "unchecked": the store was down and the category's policy is `open` (nothing was counted). */
  readonly source: DecisionSource;
}

/** Counts calls per subject and category; `take` answers whether this one may run. */
export interface RateLimiter {
  take(subject: string, category: RateLimitCategory): Promise<RateLimitDecision>;
}
