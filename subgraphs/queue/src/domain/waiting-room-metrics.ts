import { counter, gauge } from "@urr/telemetry";
import type { QueueCounters } from "../store/queue-store.ts";

/**
 * The waiting room per event. An event label is kept only while the event has a room in use (the
 * events the admission worker visits: on sale now, a handful at a time); when its room empties,
 * its series are removed, so finished on-sales do not pile up as series.
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

export class WaitingRoomMetrics {
  private readonly shown = new Set<string>();

  /** The room's size as every instance reads it (the same counters in Redis). */
  sized(eventId: string, counters: Pick<QueueCounters, "waiting" | "active">): void {
    this.shown.add(eventId);
    size.set({ event: eventId, state: "waiting" }, counters.waiting);
    size.set({ event: eventId, state: "active" }, counters.active);
  }

  admitted(eventId: string, count: number): void {
    if (count <= 0) return;
    this.shown.add(eventId);
    admitted.inc({ event: eventId }, count);
  }

  /** Drops the series of events whose room is no longer in use. */
  keepOnly(busy: ReadonlySet<string>): void {
    for (const eventId of this.shown) {
      if (busy.has(eventId)) continue;
      size.remove({ event: eventId, state: "waiting" });
      size.remove({ event: eventId, state: "active" });
      admitted.remove({ event: eventId });
      this.shown.delete(eventId);
    }
  }
}

/** One per process: the admission worker sizes the rooms, the admission relay counts admissions. */
export const waitingRoomMetrics = new WaitingRoomMetrics();
