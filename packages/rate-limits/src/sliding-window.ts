import type { RateLimitCategory } from "./categories.ts";
import type { DecisionSource, RateLimitDecision } from "./decision.ts";

/*
 * A sliding window of 60 one-second slots per subject and category: a call is allowed while fewer
 * than `limit` calls were allowed in the slots of the last 60 seconds (this second included), and
 * counts in this second's slot until that slot leaves the window. Refused calls are not counted, so
 * a client that keeps hammering still gets `limit` calls a minute. This file and
 * sliding-window.lua are the same algorithm, tested against the same cases.
 */
export const SLOT_MS = 1000;
export const WINDOW_SLOTS = 60;
export const WINDOW_SECONDS = (SLOT_MS * WINDOW_SLOTS) / 1000;

/** What both implementations compute, in milliseconds (the Lua script returns these four). */
export interface WindowOutcome {
  readonly allowed: boolean;
  readonly remaining: number;
  readonly resetMs: number;
  readonly retryMs: number;
}

/** Counts per slot number (`floor(ms / SLOT_MS)`), oldest first by key order is not assumed. */
export type Slots = Map<number, number>;

export function takeFromWindow(slots: Slots, nowMs: number, limit: number): WindowOutcome {
  const current = Math.floor(nowMs / SLOT_MS);
  const oldest = current - WINDOW_SLOTS + 1;
  let used = 0;
  for (const [slot, count] of slots) {
    if (slot < oldest) slots.delete(slot);
    else used += count;
  }
  const leavesAt = (slot: number) => (slot + WINDOW_SLOTS) * SLOT_MS - nowMs;
  if (used < limit) {
    slots.set(current, (slots.get(current) ?? 0) + 1);
    return {
      allowed: true,
      remaining: limit - used - 1,
      resetMs: leavesAt(Math.min(...slots.keys())),
      retryMs: 0,
    };
  }
  // Refused: wait until enough of the oldest slots have left to make room for one call.
  const ordered = [...slots.keys()].sort((a, b) => a - b);
  let freed = 0;
  let retryMs = WINDOW_SLOTS * SLOT_MS;
  for (const slot of ordered) {
    freed += slots.get(slot) ?? 0;
    if (used - freed < limit) {
      retryMs = leavesAt(slot);
      break;
    }
  }
  const resetMs = ordered[0] === undefined ? retryMs : leavesAt(ordered[0]);
  return { allowed: false, remaining: 0, resetMs, retryMs };
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function decisionOf(
  outcome: WindowOutcome,
  category: RateLimitCategory,
  limit: number,
  source: DecisionSource,
): RateLimitDecision {
  return {
    allowed: outcome.allowed,
    category,
    limit,
    remaining: Math.max(0, outcome.remaining),
    resetSeconds: seconds(outcome.resetMs),
    retryAfterSeconds: outcome.allowed ? 0 : seconds(outcome.retryMs),
    windowSeconds: WINDOW_SECONDS,
    source,
  };
}
