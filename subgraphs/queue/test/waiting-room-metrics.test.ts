import { metricsRegistry } from "@urr/telemetry";
import { WaitingRoomMetrics } from "../src/domain/waiting-room-metrics.ts";

/**
 * Per-event series exist while the event's room is in use and for a retention period after: the
 * last admissions of an on-sale stay scrapeable, and finished on-sales leave no series.
 */
describe("waiting-room metrics", () => {
  beforeEach(() => metricsRegistry.resetMetrics());
  const series = async () =>
    (await metricsRegistry.metrics()).split("\n").filter((l) => l.startsWith("urr_waiting_room_"));

  it("shows each busy event's size and admissions, and drops an event its retention after its room empties", async () => {
    let now = 1_000_000;
    const metrics = new WaitingRoomMetrics({ retentionMs: 60_000, now: () => now });
    metrics.sized("event-a", { waiting: 120, active: 30 });
    metrics.sized("event-b", { waiting: 5, active: 2 });
    metrics.admitted("event-a", 3);
    metrics.admitted("event-a", 2);
    expect(await series()).toEqual(
      expect.arrayContaining([
        'urr_waiting_room_size{event="event-a",state="waiting"} 120',
        'urr_waiting_room_size{event="event-a",state="active"} 30',
        'urr_waiting_room_admitted_total{event="event-a"} 5',
        'urr_waiting_room_size{event="event-b",state="waiting"} 5',
      ]),
    );
    metrics.keepOnly(new Set(["event-b"]));
    // Just emptied: still scrapeable, final count included.
    expect(await series()).toContain('urr_waiting_room_admitted_total{event="event-a"} 5');
    now += 59_000;
    metrics.keepOnly(new Set(["event-b"]));
    expect(await series()).toContain('urr_waiting_room_admitted_total{event="event-a"} 5');
    now += 1_000;
    metrics.keepOnly(new Set(["event-b"]));
    const left = await series();
    expect(left.filter((l) => l.includes("event-a"))).toEqual([]);
    expect(left).toContain('urr_waiting_room_size{event="event-b",state="active"} 2');
  });

  it("keeps an event that becomes busy again within its retention", async () => {
    let now = 0;
    const metrics = new WaitingRoomMetrics({ retentionMs: 60_000, now: () => now });
    metrics.admitted("event-c", 1);
    now = 50_000;
    metrics.keepOnly(new Set(["event-c"]));
    now = 100_000;
    metrics.keepOnly(new Set());
    expect(await series()).toContain('urr_waiting_room_admitted_total{event="event-c"} 1');
  });
});
