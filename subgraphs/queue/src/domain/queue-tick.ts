import type { QueueCounters } from "../store/queue-store.ts";

/** The one message per admission round per event: everything a subscriber needs to move. */
export interface QueueTick {
  eventId: string;
  serving: number;
  waiting: number;
  active: number;
  threshold: number;
  ratePerSecond: number;
  at: number;
  /** The queue was cleared: every subscriber re-reads its place. */
  reset?: boolean;
}

export const tickChannel = (eventId: string) => `urr.queue.tick.${eventId}`;

export function tickOf(
  eventId: string,
  counters: QueueCounters,
  ratePerSecond: number,
  at: number,
): QueueTick {
  return {
    eventId,
    serving: counters.serving,
    waiting: counters.waiting,
    active: counters.active,
    threshold: counters.threshold,
    ratePerSecond,
    at,
  };
}
