import {
  ArtistUpserted,
  EventDeleted,
  type EventEnvelope,
  EventHandlers,
  EventUpserted,
  type parseEvent,
} from "@urr/events";
import type { Logger } from "@urr/logger";
import type { SeatLockStore } from "../locks/seat-lock-store.ts";
import type { TicketRepositories, TicketStore } from "../repositories/ticket-store.ts";
import { type ClosureReason, endPendingHolds } from "./event-closure.ts";
import { type EventRefunds, refundEventSales } from "./event-refunds.ts";
import { type ReleasedSeat, releaseSeatLocks } from "./reservation-release.ts";

export type ApplyOutcome = "applied" | "duplicate" | "stale" | "ignored";

/**
 * Keeps ticket's copy of catalog events (sale windows) and artists (fan-club prices) current from
 * catalog-events. Each message is validated
 * against its contract, applied at most once (its id recorded in the same transaction) and ignored
 * when older than the state already held (revision), so redelivery and reordering are harmless.
 * An event that leaves the sale (cancelled or deleted) ends its pending holds in the same
 * transaction (event-closure.ts); their seats' Redis locks are dropped after commit.
 */
export class CatalogProjection {
  constructor(
    private readonly deps: {
      store: TicketStore;
      locks: SeatLockStore;
      logger: Logger;
      onEventApplied?: (eventId: string) => Promise<void>;
    },
  ) {}

  readonly handlers = new EventHandlers()
    .on(EventUpserted, async (event) => {
      const outcome = await this.upsert(event);
      if (outcome === "applied") await this.deps.onEventApplied?.(event.payload.eventId);
      return outcome;
    })
    .on(EventDeleted, (event) => this.delete(event))
    // The artist's fan-club price, which memberships are quoted at.
    .on(ArtistUpserted, (event) => this.upsertArtist(event));

  apply(message: unknown): Promise<string> {
    return this.handlers.handle(message);
  }

  private upsert(
    event: ReturnType<typeof parseEvent<"catalog.event.upserted", typeof EventUpserted.payload>>,
  ) {
    const p = event.payload;
    return this.once(event, p.eventId, p.cancelledAt ? "EVENT_CANCELLED" : null, (repos) =>
      repos.saleEvents.upsert({
        eventId: p.eventId,
        artistId: p.artistId,
        title: p.title,
        startsAt: new Date(p.startsAt),
        saleStartsAt: new Date(p.saleStartsAt),
        saleEndsAt: new Date(p.saleEndsAt),
        cancelledAt: p.cancelledAt ? new Date(p.cancelledAt) : null,
        deleted: false,
        revision: p.revision,
      }),
    );
  }

  private async upsertArtist(
    event: ReturnType<typeof parseEvent<"catalog.artist.upserted", typeof ArtistUpserted.payload>>,
  ): Promise<ApplyOutcome> {
    const p = event.payload;
    return this.deps.store.transaction(async (repos) => {
      if (!(await repos.markProcessed(event))) return "duplicate";
      const applied = await repos.artists.upsert({
        artistId: p.artistId,
        name: p.name,
        membershipPrice: p.membershipPrice,
        revision: p.revision,
      });
      return applied ? "applied" : "stale";
    });
  }

  private delete(event: ReturnType<typeof parseEvent<"catalog.event.deleted", typeof EventDeleted.payload>>) {
    const { eventId, revision } = event.payload;
    return this.once(event, eventId, "EVENT_DELETED", (repos) =>
      repos.saleEvents.markDeleted(eventId, revision),
    );
  }

  /**
   * Applies one message exactly once; when the state it applied closes the sale (`closes`), ends
   * the event's pending holds in the same transaction.
   */
  private async once(
    event: EventEnvelope,
    eventId: string,
    closes: ClosureReason | null,
    effect: (repos: TicketRepositories) => Promise<boolean>,
  ): Promise<ApplyOutcome> {
    let closure: { ended: string[]; released: ReleasedSeat[] } = { ended: [], released: [] };
    let refunds: EventRefunds | undefined;
    const outcome = await this.deps.store.transaction(async (repos): Promise<ApplyOutcome> => {
      if (!(await repos.markProcessed(event))) return "duplicate";
      if (!(await effect(repos))) return "stale";
      if (closes) {
        closure = await endPendingHolds(repos, eventId, closes);
        refunds = await refundEventSales(repos, eventId, closes);
      }
      return "applied";
    });
    if (refunds?.reservations || refunds?.transfers || refunds?.listingsCancelled) {
      this.deps.logger.info(
        { eventId, reason: closes, ...refunds },
        "asked payment to refund the event's sales",
      );
    }
    if (closure.ended.length) {
      this.deps.logger.info({ eventId, reason: closes, holds: closure.ended.length }, "ended pending holds");
    }
    await releaseSeatLocks(this.deps.locks, closure.released, this.deps.logger);
    return outcome;
  }
}
