import {
  ArtistUpserted,
  EventDeleted,
  EventHandlers,
  EventUpserted,
  MembershipActivated,
  ReservationConfirmationRejected,
  ReservationConfirmed,
  ReservationRefunded,
} from "@urr/events";
import type { Logger } from "@urr/logger";
import type { EventDirectory } from "../store/event-directory.ts";
import type { QueueStore } from "../store/queue-store.ts";
import { saleWindowOf } from "../store/recovering-event-directory.ts";

/**
 * What the queue learns from other subgraphs' events. Every effect is idempotent by construction
 * (revision-guarded upserts, set removals), so a redelivered event changes nothing:
 * - catalog-events: each event's sale window (unknown events are NOT_FOUND, closed sales refused);
 * - membership-events: fan-club tiers for the pre-sale stages;
 * - reservation-events: a confirmed purchase frees the buyer's active slot for the next waiter.
 */
export function queueProjections(deps: {
  directory: EventDirectory;
  store: QueueStore;
  logger: Logger;
}): EventHandlers {
  const { directory, store } = deps;
  return new EventHandlers()
    .on(EventUpserted, async ({ payload: p }) => {
      // The same state catalog's internal API serves (a recovered window uses the same mapping).
      const saved = await directory.saveEvent(saleWindowOf(p));
      return saved ? "applied" : "stale";
    })
    .on(EventDeleted, async ({ payload: p }) => {
      const deleted = await directory.deleteEvent(p.eventId, p.revision);
      if (deleted) await store.clear(p.eventId);
      return deleted ? "applied" : "stale";
    })
    .on(MembershipActivated, async ({ payload: p }) => {
      await directory.saveTier(p.artistId, p.userId, { tier: p.tier, expiresAt: new Date(p.expiresAt) });
      return "applied";
    })
    .on(ReservationConfirmed, async ({ payload: p }) => {
      const freed = await store.leave(p.eventId, p.userId);
      return freed ? "slot freed" : "no slot";
    })
    .ignore(ArtistUpserted, ReservationConfirmationRejected, ReservationRefunded);
}
