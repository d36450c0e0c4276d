import { counter, gauge } from "@urr/telemetry";
import type { QueueCounters } from "../store/queue-store.ts";

/**
 * The waiting room per event. An event label is kept while the event has a room in use (the
 * events the admission worker visits: on sale now, a handful at a time) and for a retention period
 * after its room empties, then its series are removed, so finished on-sales do not pile up as
 * series. The retention lets scrapes (every 15 s by default) see an on-sale's last admissions and
 * its empty room: removed at once, the final counts were often never scraped.
 */
const size = gauge({
  name: "urr_waiting_room_size",
  help: "People in an event's waiting room, by event and state (waiting, active: admitted and shopping)",
  labelNames: ["event", "state"] as const,
});
const admitted = counter({
  name: "urr_waiting_room_admitted_total",
  help: "People admitted from an event's waiting room (counted as the admission relay publishes them)",
  labelNames: ["event"] as const,
});

/** How long an event's series outlive its busy room. */
export const SERIES_RETENTION_MS = 5 * 60_000;

export interface WaitingRoomMetricsOptions {
  retentionMs?: number;
  /** Milliseconds now (tests move it). */
  now?: () => number;
}

export class WaitingRoomMetrics {
  /** Events with series, and when each was last seen in use. */
  private readonly lastBusy = new Map<string, number>();
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(options: WaitingRoomMetricsOptions = {}) {
    this.retentionMs = options.retentionMs ?? SERIES_RETENTION_MS;
    this.now = options.now ?? Date.now;
  }

  /** The room's size as every instance reads it (the same counters in Redis). */
  sized(eventId: string, counters: Pick<QueueCounters, "waiting" | "active">): void {
    this.lastBusy.set(eventId, this.now());
    size.set({ event: eventId, state: "waiting" }, counters.waiting);
    size.set({ event: eventId, state: "active" }, counters.active);
  }

  admitted(eventId: string, count: number): void {
    if (count <= 0) return;
    this.lastBusy.set(eventId, this.now());
    admitted.inc({ event: eventId }, count);
  }

  /** Drops the series of events whose room has not been in use for the retention period. */
  keepOnly(busy: ReadonlySet<string>): void {
    const now = this.now();
    for (const [eventId, seen] of this.lastBusy) {
      if (busy.has(eventId)) {
        this.lastBusy.set(eventId, now);
        continue;
      }
      if (now - seen < this.retentionMs) continue;
      size.remove({ event: eventId, state: "waiting" });
      size.remove({ event: eventId, state: "active" });
      admitted.remove({ event: eventId });
      this.lastBusy.delete(eventId);
    }
  }
}

/** One per process: the admission worker sizes the rooms, the admission relay counts admissions. */
export const waitingRoomMetrics = new WaitingRoomMetrics();
