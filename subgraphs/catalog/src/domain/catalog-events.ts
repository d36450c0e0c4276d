import { ArtistUpserted, createEvent, EventUpserted } from "@urr/events";
import type { ArtistRecord, EventRecord } from "./records.ts";

/** The catalog-events message describing an artist's current state (ticket keeps its price). */
export function artistUpserted(artist: ArtistRecord) {
  return createEvent(ArtistUpserted, artist.id, {
    artistId: artist.id,
    name: artist.name,
    membershipPrice: artist.membershipPrice,
    revision: artist.revision,
  });
}

/** The catalog-events message describing an event's current state. */
export function eventUpserted(event: EventRecord) {
  return createEvent(EventUpserted, event.id, {
    eventId: event.id,
    artistId: event.artistId,
    title: event.title,
    startsAt: event.startsAt.toISOString(),
    saleStartsAt: event.saleStartsAt.toISOString(),
    saleEndsAt: event.saleEndsAt.toISOString(),
    cancelledAt: event.cancelledAt?.toISOString() ?? null,
    revision: event.revision,
  });
}
