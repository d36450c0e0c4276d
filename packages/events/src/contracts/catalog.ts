import { z } from "zod";
import { defineEvent } from "../envelope.ts";

/**
 * catalog-events: the catalog's events and artists as other subgraphs may keep them. State transfer
 * (the whole relevant state in every message), so a consumer's projection is an idempotent upsert
 * and a lost intermediate message cannot leave it wrong.
 */
export const CATALOG_TOPIC = "catalog-events";

const instant = z.iso.datetime({ offset: true });

export const EventUpserted = defineEvent({
  type: "catalog.event.upserted",
  version: 1,
  topic: CATALOG_TOPIC,
  payload: z.object({
    eventId: z.uuid(),
    artistId: z.uuid(),
    title: z.string(),
    startsAt: instant,
    saleStartsAt: instant,
    saleEndsAt: instant,
    cancelledAt: instant.nullable(),
    /** Monotonic per event: a consumer ignores a state older than the one it holds. */
    revision: z.number().int().positive(),
  }),
});

export const EventDeleted = defineEvent({
  type: "catalog.event.deleted",
  version: 1,
  topic: CATALOG_TOPIC,
  payload: z.object({ eventId: z.uuid(), revision: z.number().int().positive() }),
});

/**
 * Version 2 carries the fan-club price (ticket quotes memberships from its copy) and a revision,
 * so a projection ignores an older state like it does for events.
 */
export const ArtistUpserted = defineEvent({
  type: "catalog.artist.upserted",
  version: 2,
  topic: CATALOG_TOPIC,
  payload: z.object({
    artistId: z.uuid(),
    name: z.string(),
    /** Integer KRW (whole won) a year of the artist's fan club costs. */
    membershipPrice: z.number().int().positive(),
    /** Monotonic per artist: a consumer ignores a state older than the one it holds. */
    revision: z.number().int().positive(),
  }),
});
