import {
  EVENT_STATE_ROUTE,
  EventState,
  isUuid,
  OPEN_EVENTS_MAX_PAGE,
  OPEN_EVENTS_ROUTE,
  OpenEventsPage,
} from "@urr/contracts";
import type { Logger } from "@urr/logger";
import { sendContract, serviceTokenGuard } from "@urr/subgraph-kit";
import type { Application, Request, Response } from "express";
import type { EventRecord } from "../domain/records.ts";
import type { CatalogStore } from "../repositories/catalog-store.ts";

/** An event's current state, with the fields and revision catalog-events carries. */
export function eventState(event: EventRecord): EventState {
  return {
    eventId: event.id,
    artistId: event.artistId,
    title: event.title,
    startsAt: event.startsAt.toISOString(),
    saleStartsAt: event.saleStartsAt.toISOString(),
    saleEndsAt: event.saleEndsAt.toISOString(),
    cancelledAt: event.cancelledAt?.toISOString() ?? null,
    revision: event.revision,
  };
}

/** This route's own cursor (the keyset of the last event sent), so it depends on no public cursor format. */
function cursorOf(event: EventRecord): string {
  return Buffer.from(JSON.stringify([event.startsAt.toISOString(), event.id])).toString("base64url");
}

/** The (startsAt, id) an opaque cursor of this route names, or null when it names nothing valid. */
function positionOf(cursor: string): { startsAt: Date; id: string } | null {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parts) || parts.length !== 2) return null;
    const [at, id] = parts;
    const startsAt = new Date(typeof at === "string" ? at : Number.NaN);
    return typeof id === "string" && isUuid(id) && !Number.isNaN(startsAt.getTime())
      ? { startsAt, id }
      : null;
  } catch {
    return null;
  }
}

/**
 * Catalog's internal event-state API, behind a service token: the owner's current state for
 * services whose projection of it lives in a store that can lose it (the waiting room). They ask for
 * one event on a miss and for every open event at start-up; catalog-events keeps them current after.
 */
export function mountInternalEventState(
  app: Application,
  deps: { secret: string; store: CatalogStore; logger: Logger; clock?: () => Date },
): void {
  const guard = serviceTokenGuard({ secret: deps.secret, audience: "catalog", logger: deps.logger });
  const failed = (res: Response, error: unknown) => {
    deps.logger.error({ err: error }, "internal event-state read failed");
    res.status(503).json({ error: "unavailable" });
  };

  app.get(EVENT_STATE_ROUTE, guard, async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!isUuid(id)) {
      res.status(400).json({ error: "event id must be a UUID" });
      return;
    }
    try {
      const event = await deps.store.repos.events.findById(id.toLowerCase());
      if (!event) {
        res.status(404).json({ error: "no such event" });
        return;
      }
      sendContract(res, EventState, eventState(event), deps.logger);
    } catch (error) {
      failed(res, error);
    }
  });

  app.get(OPEN_EVENTS_ROUTE, guard, async (req: Request, res: Response) => {
    const limit = req.query.limit === undefined ? OPEN_EVENTS_MAX_PAGE : Number(req.query.limit);
    const after = typeof req.query.after === "string" ? positionOf(req.query.after) : null;
    if (
      req.query.open !== "true" ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > OPEN_EVENTS_MAX_PAGE ||
      (req.query.after !== undefined && !after)
    ) {
      res
        .status(400)
        .json({ error: `open=true, limit 1-${OPEN_EVENTS_MAX_PAGE} and a cursor from this route` });
      return;
    }
    try {
      // Open = not cancelled and the sale not over: on sale now, or upcoming.
      const rows = await deps.store.repos.events.list({
        window: { cancelled: false, saleEndsAfter: (deps.clock ?? (() => new Date()))() },
        ...(after ? { after } : {}),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      sendContract(
        res,
        OpenEventsPage,
        { events: page.map(eventState), nextCursor: rows.length > limit && last ? cursorOf(last) : null },
        deps.logger,
      );
    } catch (error) {
      failed(res, error);
    }
  });
}
