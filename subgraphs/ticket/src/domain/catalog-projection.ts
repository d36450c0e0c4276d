import {
  ArtistUpserted,
  EventDeleted,
  type EventEnvelope,
  EventHandlers,
  EventUpserted,
  type parseEvent,
} from "@urr/events";
import type { Logger } from "@urr/logger";
import type { TicketStore } from "../repositories/ticket-store.ts";

export type ApplyOutcome = "applied" | "duplicate" | "stale" | "ignored";

/**
 * Keeps ticket's copy of catalog events current from catalog-events. Each message is validated
 * against its contract, applied at most once (its id recorded in the same transaction) and ignored
 * when older than the state already held (revision), so redelivery and reordering are harmless.
 */
export class CatalogProjection {
  constructor(
    private readonly deps: {
      store: TicketStore;
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
    // A valid catalog event ticket has no use for (artists): acknowledged, not dead-lettered.
    .ignore(ArtistUpserted);

  apply(message: unknown): Promise<string> {
    return this.handlers.handle(message);
  }

  private upsert(
    event: ReturnType<typeof parseEvent<"catalog.event.upserted", typeof EventUpserted.payload>>,
  ) {
    const p = event.payload;
    return this.once(event, (repos) =>
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

  private delete(event: ReturnType<typeof parseEvent<"catalog.event.deleted", typeof EventDeleted.payload>>) {
    return this.once(event, (repos) =>
      repos.saleEvents.markDeleted(event.payload.eventId, event.payload.revision),
    );
  }

  private async once(
    event: EventEnvelope,
    effect: (repos: Parameters<Parameters<TicketStore["transaction"]>[0]>[0]) => Promise<boolean>,
  ): Promise<ApplyOutcome> {
    return this.deps.store.transaction(async (repos) => {
      if (!(await repos.markProcessed(event))) return "duplicate";
      return (await effect(repos)) ? "applied" : "stale";
    });
  }
}
