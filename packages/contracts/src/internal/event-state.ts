import { z } from "zod";
import { uuid } from "../ids.ts";

/**
 * Catalog's current state of its events, for services that keep a projection of it in a store that
 * can lose it (the waiting room in Redis or in memory). It carries the same fields and revision as
 * the catalog.event.upserted event, so a consumer applies either with the same revision guard and a
 * state fetched here can never overwrite a newer one delivered by catalog-events.
 *
 * - `GET /internal/event-states/:id` → one event's state (any status), 404 when catalog has no such event;
 * - `GET /internal/event-states?open=true&after=<cursor>&limit=<n>` → events on sale or upcoming (not
 *   cancelled, sale not ended), soonest first, a page at a time; `nextCursor` null on the last page.
 */
export const OPEN_EVENTS_ROUTE = "/internal/event-states";
export const EVENT_STATE_ROUTE = "/internal/event-states/:id";
export const eventStatePath = (eventId: string) =>
  EVENT_STATE_ROUTE.replace(":id", encodeURIComponent(eventId));

export function openEventsPath(page: { after?: string | null; limit?: number } = {}): string {
  const query = new URLSearchParams({ open: "true" });
  if (page.after) query.set("after", page.after);
  if (page.limit) query.set("limit", String(page.limit));
  return `${OPEN_EVENTS_ROUTE}?${query}`;
}

/** Most events one page of `openEventsPath` returns. */
export const OPEN_EVENTS_MAX_PAGE = 500;

const instant = z.iso.datetime({ offset: true });

export const EventState = z.object({
  eventId: uuid,
  artistId: uuid,
  title: z.string(),
  startsAt: instant,
  saleStartsAt: instant,
  saleEndsAt: instant,
  cancelledAt: instant.nullable(),
  /** Monotonic per event, the same counter catalog-events carries. */
  revision: z.number().int().positive(),
});

export type EventState = z.infer<typeof EventState>;

export const OpenEventsPage = z.object({
  events: z.array(EventState).max(OPEN_EVENTS_MAX_PAGE),
  /** Opaque; pass as `after` for the next page. Null on the last page. */
  nextCursor: z.string().min(1).nullable(),
});

export type OpenEventsPage = z.infer<typeof OpenEventsPage>;
