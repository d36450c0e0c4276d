import {
  ArtistUpserted,
  EventDeleted,
  EventHandlers,
  EventUpserted,
  MembershipActivated,
  MembershipExpired,
  MembershipRenewed,
  MembershipTierChanged,
  ReservationConfirmationRejected,
  ReservationConfirmed,
  ReservationRefunded,
  ReservationRefundRequested,
} from "@urr/events";
import type { Logger } from "@urr/logger";
import type { EventDirectory } from "../store/event-directory.ts";
import type { QueueStore } from "../store/queue-store.ts";
import { saleWindowOf } from "../store/recovering-event-directory.ts";

/**
 * What the queue learns from other subgraphs' events. Every effect is idempotent by construction
 * (revision-guarded upserts, set removals), so a redelivered event changes nothing:
 * - catalog-events: each event's sale window (unknown events are NOT_FOUND, closed sales refused);
 * - membership-events: fan-club tiers for the pre-sale stages (every event carries the membership's
 *   state after it and its revision; the newest is kept, an expired term counts as no tier);
 * - reservation-events: a confirmed purchase frees the buyer's active slot for the next waiter.
 */
export function queueProjections(deps: {
  directory: EventDirectory;
  store: QueueStore;
  logger: Logger;
}): EventHandlers {
  const { directory, store } = deps;
  const saveTier = async ({
    payload: p,
  }: {
    payload: { artistId: string; userId: string; tier: string; expiresAt: string; revision: number };
  }) => {
    const saved = await directory.saveTier(p.artistId, p.userId, {
      tier: p.tier,
      expiresAt: new Date(p.expiresAt),
      revision: p.revision,
    });
    return saved ? "applied" : "stale";
  };
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
    .on(MembershipActivated, saveTier)
    .on(MembershipRenewed, saveTier)
    .on(MembershipTierChanged, saveTier)
    .on(MembershipExpired, saveTier)
    .on(ReservationConfirmed, async ({ payload: p }) => {
      const freed = await store.leave(p.eventId, p.userId);
      return freed ? "slot freed" : "no slot";
    })
    .ignore(ArtistUpserted, ReservationConfirmationRejected, ReservationRefunded, ReservationRefundRequested);
}
