import type { Viewer } from "@urr/auth-tokens";
import { BadUserInputError, ConflictError, isUniqueViolation, NotFoundError } from "@urr/errors";
import { requireAdmin } from "@urr/subgraph-kit";
import type { TicketStore } from "../repositories/ticket-store.ts";
import type { ReservationRecord, ReservationStatus, SeatLayoutRecord, TicketTypeRecord } from "./records.ts";
import { checkId } from "./reservation-input.ts";
import { parseLayout, seatsFromLayout } from "./seat-layout.ts";

/**
 * Admin actions on seating: layouts, seat generation, ticket types, reservation lists. Each change
 * is authorised here and recorded (audit-events) in the transaction that makes it.
 */
export class SeatingAdminService {
  constructor(private readonly deps: { store: TicketStore }) {}

  async createLayout(
    viewer: Viewer,
    input: { name: string; description?: string | null; definition: unknown },
  ): Promise<SeatLayoutRecord> {
    const admin = requireAdmin(viewer);
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100)
      throw new BadUserInputError("name must be 1 to 100 characters", "input.name");
    const definition = parseLayout(input.definition);
    try {
      return await this.deps.store.transaction(async (repos) => {
        const layout = await repos.layouts.create({
          name,
          description: input.description?.trim() ?? "",
          definition,
        });
        await repos.audit(admin, {
          action: "seat-layout.create",
          entityType: "SEAT_LAYOUT",
          entityId: layout.id,
          before: null,
          after: layout,
        });
        return layout;
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError("A layout with this name already exists", { field: "input.name" });
      throw error;
    }
  }

  /** Draws an event's seats from a layout, once; the event must be known from catalog-events. */
  async generateSeats(viewer: Viewer, eventIdInput: string, layoutIdInput: string): Promise<number> {
    const admin = requireAdmin(viewer);
    const eventId = checkId(eventIdInput, "eventId");
    const layoutId = checkId(layoutIdInput, "layoutId");
    return this.deps.store.transaction(async (repos) => {
      const event = await repos.saleEvents.find(eventId);
      if (!event || event.deleted) throw new NotFoundError("Event", eventId);
      const layout = await repos.layouts.findById(layoutId);
      if (!layout) throw new NotFoundError("SeatLayout", layoutId);
      try {
        await repos.layouts.recordSeating(eventId, layoutId);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new ConflictError("Seats were already generated for this event", { reason: "SEATS_EXIST" });
        throw error;
      }
      const seats = await repos.seats.createMany(seatsFromLayout(eventId, layout.definition));
      // The event's seat map: which plan it was drawn from and how many seats that made.
      await repos.audit(admin, {
        action: "seat-map.generate",
        entityType: "SEAT_MAP",
        entityId: eventId,
        before: null,
        after: { eventId, layoutId, layoutName: layout.name, seatsCreated: seats },
      });
      return seats;
    });
  }

  async createTicketType(
    viewer: Viewer,
    input: { eventId: string; name: string; price: number; totalQuantity: number },
  ): Promise<TicketTypeRecord> {
    const admin = requireAdmin(viewer);
    const eventId = checkId(input.eventId, "input.eventId");
    const fields = ticketTypeFields(input);
    try {
      return await this.deps.store.transaction(async (repos) => {
        const event = await repos.saleEvents.find(eventId);
        if (!event || event.deleted) throw new NotFoundError("Event", eventId);
        const created = await repos.ticketTypes.create({
          eventId,
          name: fields.name ?? "",
          price: fields.price ?? 0,
          totalQuantity: fields.totalQuantity ?? 0,
        });
        await repos.audit(admin, {
          action: "ticket-type.create",
          entityType: "TICKET_TYPE",
          entityId: created.id,
          before: null,
          after: created,
        });
        return created;
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError("This event already has a ticket type with that name", {
          field: "input.name",
        });
      throw error;
    }
  }

  async updateTicketType(
    viewer: Viewer,
    id: string,
    input: { name?: string | null; price?: number | null; totalQuantity?: number | null },
  ): Promise<TicketTypeRecord> {
    const admin = requireAdmin(viewer);
    const typeId = checkId(id, "id");
    const fields = ticketTypeFields(input);
    return this.deps.store.transaction(async (repos) => {
      // Locked first: the sold count checked and the `before` recorded are the ones overwritten.
      const current = await repos.ticketTypes.findForUpdate(typeId);
      if (!current) throw new NotFoundError("TicketType", typeId);
      const sold = current.totalQuantity - current.availableQuantity;
      if (fields.totalQuantity !== undefined && fields.totalQuantity < sold) {
        throw new BadUserInputError(
          `totalQuantity cannot go below the ${sold} already sold or held`,
          "input.totalQuantity",
          { sold },
        );
      }
      const updated = await repos.ticketTypes.update(typeId, fields);
      if (!updated) throw new NotFoundError("TicketType", typeId);
      await repos.audit(admin, {
        action: "ticket-type.update",
        entityType: "TICKET_TYPE",
        entityId: typeId,
        before: current,
        after: updated,
      });
      return updated;
    });
  }

  layouts(): Promise<SeatLayoutRecord[]> {
    return this.deps.store.repos.layouts.list();
  }

  layout(id: string): Promise<SeatLayoutRecord | null> {
    return this.deps.store.repos.layouts.findById(id);
  }

  async reservations(
    viewer: Viewer,
    eventIdInput: string,
    status: ReservationStatus | null | undefined,
    first = 50,
    offset = 0,
  ): Promise<ReservationRecord[]> {
    requireAdmin(viewer);
    if (first < 1 || first > 200) throw new BadUserInputError("first must be between 1 and 200", "first");
    if (offset < 0) throw new BadUserInputError("offset must not be negative", "offset");
    return this.deps.store.repos.reservations.listForEvent(
      checkId(eventIdInput, "eventId"),
      status ?? undefined,
      first,
      offset,
    );
  }
}

function ticketTypeFields(input: {
  name?: string | null;
  price?: number | null;
  totalQuantity?: number | null;
}) {
  const fields: { name?: string; price?: number; totalQuantity?: number } = {};
  if (input.name != null) {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100)
      throw new BadUserInputError("name must be 1 to 100 characters", "input.name");
    fields.name = name;
  }
  if (input.price != null) {
    if (!Number.isInteger(input.price) || input.price < 0)
      throw new BadUserInputError("price must be a whole, non-negative amount", "input.price");
    fields.price = input.price;
  }
  if (input.totalQuantity != null) {
    if (
      !Number.isInteger(input.totalQuantity) ||
      input.totalQuantity < 0 ||
      input.totalQuantity > 1_000_000
    ) {
      throw new BadUserInputError("totalQuantity must be between 0 and 1,000,000", "input.totalQuantity");
    }
    fields.totalQuantity = input.totalQuantity;
  }
  return fields;
}
