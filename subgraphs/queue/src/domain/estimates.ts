import type { QueueCounters } from "../store/queue-store.ts";

/** Admissions per second over the last minute of admission rounds; 0 when nobody was admitted. */
export function admissionRate(counters: QueueCounters, now: number): number {
  const recent = counters.recentAdmissions.filter(([at]) => at > now - 60_000);
  if (recent.length === 0) return 0;
  const admitted = recent.reduce((sum, [, count]) => sum + count, 0);
  // Over the span actually observed (at least one tick), so a fresh queue is not under-estimated.
  const oldest = Math.min(...recent.map(([at]) => at));
  return admitted / Math.max(1, (now - oldest) / 1000 + 1);
}

/** Seconds until a waiter at this position is admitted, at the measured rate; null if unknown. */
export function estimatedWaitSeconds(position: number, ratePerSecond: number): number | null {
  if (position <= 0) return 0;
  if (ratePerSecond <= 0) return null;
  return Math.ceil(position / ratePerSecond);
}

/**
 * How often a client without a subscription should poll `queueStatus`: often near the front, rarely
 * far back, so a crowd of pollers costs little.
 */
export function pollIntervalSeconds(position: number): number {
  if (position <= 100) return 1;
  if (position <= 1_000) return 3;
  if (position <= 10_000) return 5;
  return 10;
}
