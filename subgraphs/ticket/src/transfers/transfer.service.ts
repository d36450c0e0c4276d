import { randomUUID } from "node:crypto";
import type { Viewer } from "@urr/auth-tokens";
import type { ReservationRefundCheck, TransferClaim } from "@urr/contracts";
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from "@urr/errors";
import { createEvent, TransferCancelled, TransferListed } from "@urr/events";
import {
  checkId,
  decodeCursor,
  encodeCursor,
  type Page,
  pageSize,
  requireViewer,
  toPage,
} from "@urr/subgraph-kit";
import { effectiveTier } from "../memberships/records.ts";
import { TRANSFER_FEE_PERCENT } from "../memberships/tiers.ts";
import type { TicketStore } from "../repositories/ticket-store.ts";
import { amountOf, heldBy, type TransferRecord, type TransferStatus } from "./records.ts";

export const transferCursor = (t: TransferRecord) => encodeCursor([t.createdAt.toISOString(), t.id]);

/** The fee a buyer pays on top of the face value: the seller's tier's percent, rounded down to the won. */
/** How long listing a reservation's tickets stays blocked once payment was allowed to refund it. */
export const REFUND_HOLD_MS = 15 * 60_000;

export const transferFee = (price: number, percent: number) => Math.floor((price * percent) / 100);

/**
 * The transfer marketplace: fans who are members of the event's artist list their confirmed
 * tickets at face value; another fan reserves a listing by preparing a TRANSFER payment (`claim`,
 * through ticket's internal route) and the confirmed payment moves the ticket (transfer-payments.ts).
 *
 * Locks: a listing locks its ticket, so two listings of one ticket at once see each other (and the
 * partial unique index `transfers_one_open_per_ticket` writes one row whatever happens); a claim,
 * a cancel and a payment lock the transfer row, so they are applied one after another.
 */
export class TransferService {
  constructor(private readonly deps: { store: TicketStore; paymentWindowMs: number; clock?: () => Date }) {}

  private now(): Date {
    return this.deps.clock?.() ?? new Date();
  }

  /**
   * Lists the caller's ticket. Listing it again while it is listed returns the same listing; every
   * refusal is coded and writes nothing.
   */
  async list(viewer: Viewer, ticketIdInput: string): Promise<TransferRecord> {
    const user = requireViewer(viewer);
    const ticketId = checkId(ticketIdInput, "ticketId");
    const now = this.now();
    const found = (await this.deps.store.repos.tickets.findByIds([ticketId]))[0];
    if (!found) throw new NotFoundError("Ticket", ticketId);
    return this.deps.store.transaction(async (repos) => {
      // The reservation first (the order every writer locks in): a refund check of it waits or is seen.
      await repos.reservations.lock(found.reservationId);
      const ticket = await repos.tickets.lock(ticketId);
      if (!ticket) throw new NotFoundError("Ticket", ticketId);
      if (ticket.userId !== user.userId) {
        throw new ForbiddenError("This ticket belongs to someone else", "NOT_OWNER");
      }
      if (ticket.status !== "ISSUED") {
        throw new ConflictError("This ticket no longer admits anyone", { reason: "TICKET_REVOKED" });
      }
      const open = await repos.transfers.findOpenForTicket(ticket.id);
      if (open) return open;
      const held = await repos.transfers.refundHeldUntil(ticket.reservationId, now);
      if (held) {
        throw new ConflictError("A refund of this ticket's purchase is in progress", {
          reason: "REFUND_IN_PROGRESS",
          until: held.toISOString(),
        });
      }
      const facts = await repos.transfers.listingFacts(ticket);
      if (facts?.reservationStatus !== "CONFIRMED") {
        throw new ConflictError("Only a ticket of a confirmed purchase can be listed", {
          reason: "RESERVATION_NOT_CONFIRMED",
        });
      }
      if (facts.unitPrice === null || !facts.artistId || !facts.startsAt) {
        throw new NotFoundError("Event", ticket.eventId);
      }
      if (facts.cancelledAt || facts.deleted) {
        throw new ConflictError("The event was cancelled", { reason: "EVENT_CANCELLED" });
      }
      if (facts.startsAt <= now) {
        throw new ConflictError("The event has begun: the ticket may already have been used", {
          reason: "EVENT_STARTED",
        });
      }
      const tier = effectiveTier(await repos.memberships.findForEvent(user.userId, ticket.eventId), now);
      const percent = TRANSFER_FEE_PERCENT[tier];
      if (percent === null) {
        throw new ForbiddenError(
          "Only members of the artist's fan club may list tickets",
          "MEMBERSHIP_REQUIRED",
          {
            tier,
          },
        );
      }
      const id = randomUUID();
      const created = await repos.transfers.create({
        id,
        ticketId: ticket.id,
        eventId: ticket.eventId,
        artistId: facts.artistId,
        sellerId: user.userId,
        sellerTier: tier,
        price: facts.unitPrice,
        feePercent: percent,
        fee: transferFee(facts.unitPrice, percent),
      });
      const listing = created
        ? await repos.transfers.findById(id)
        : await repos.transfers.findOpenForTicket(ticket.id);
      if (!listing) throw new Error(`listing of ticket ${ticket.id} vanished`);
      if (created) {
        await repos.publish(
          TransferListed,
          createEvent(TransferListed, listing.id, {
            transferId: listing.id,
            ticketId: listing.ticketId,
            eventId: listing.eventId,
            sellerId: listing.sellerId,
            price: listing.price,
            fee: listing.fee,
            currency: listing.currency,
            listedAt: listing.createdAt.toISOString(),
          }),
        );
      }
      return listing;
    });
  }

  /**
   * The seller (or an admin) takes a listing off the marketplace. Refused while a buyer's payment
   * window is open (CONFLICT `TRANSFER_IN_PROGRESS`, with `reservedUntil`): the buyer may be paying.
   * A payment confirmed after the cancel is refunded (transfer-payments.ts).
   */
  async cancel(viewer: Viewer, idInput: string): Promise<TransferRecord> {
    const user = requireViewer(viewer);
    const id = checkId(idInput, "id");
    const now = this.now();
    return this.deps.store.transaction(async (repos) => {
      const transfer = await repos.transfers.lock(id);
      if (!transfer) throw new NotFoundError("Transfer", id);
      if (transfer.sellerId !== user.userId && user.role !== "ADMIN") {
        throw new ForbiddenError("This listing belongs to someone else", "NOT_OWNER");
      }
      if (transfer.status === "CANCELLED") return transfer;
      if (transfer.status === "COMPLETED") {
        throw new ConflictError("This ticket was already sold", { reason: "TRANSFER_COMPLETED" });
      }
      if (heldBy(transfer, now)) {
        throw new ConflictError("A buyer is paying for this listing; try again after their window", {
          reason: "TRANSFER_IN_PROGRESS",
          reservedUntil: transfer.reservedUntil?.toISOString(),
        });
      }
      const cancelled = await repos.transfers.cancel(id, "CANCELLED_BY_SELLER", now);
      if (transfer.sellerId !== user.userId) {
        // An admin took someone else's listing down: an admin action, audited with it.
        await repos.audit(user, {
          action: "listing.cancel",
          entityType: "LISTING",
          entityId: id,
          before: transfer,
          after: cancelled,
        });
      }
      await repos.publish(
        TransferCancelled,
        createEvent(TransferCancelled, id, {
          transferId: id,
          ticketId: transfer.ticketId,
          reason: "CANCELLED_BY_SELLER",
          cancelledAt: now.toISOString(),
        }),
      );
      return cancelled;
    });
  }

  /**
   * Payment asks (internal route) before it takes a buyer's money: the listing is reserved for that
   * buyer until the end of the payment window, unless another buyer's window is open. Asking again
   * answers the same claim. Null: no such transfer.
   */
  async claim(transferId: string, buyerId: string): Promise<TransferClaim | null> {
    const now = this.now();
    return this.deps.store.transaction(async (repos) => {
      const transfer = await repos.transfers.lock(transferId);
      if (!transfer) return null;
      const refuse = (reason: Extract<TransferClaim, { outcome: "REFUSED" }>["reason"]): TransferClaim => ({
        outcome: "REFUSED",
        transferId,
        reason,
        status: transfer.status,
      });
      if (transfer.status === "COMPLETED" || transfer.status === "CANCELLED") return refuse("NOT_LISTED");
      if (transfer.sellerId === buyerId) return refuse("OWN_LISTING");
      const event = await repos.saleEvents.find(transfer.eventId);
      if (!event || event.cancelledAt || event.deleted || event.startsAt <= now)
        return refuse("EVENT_CLOSED");
      const holder = heldBy(transfer, now);
      if (holder && holder !== buyerId) return refuse("RESERVED_BY_ANOTHER");
      const claimed =
        holder === buyerId
          ? transfer
          : await repos.transfers.reserve(
              transfer.id,
              buyerId,
              new Date(now.getTime() + this.deps.paymentWindowMs),
            );
      const ticket = (await repos.tickets.findByIds([transfer.ticketId]))[0];
      return {
        outcome: "CLAIMED",
        transferId: claimed.id,
        ticketId: claimed.ticketId,
        eventId: claimed.eventId,
        sellerId: claimed.sellerId,
        buyerId,
        label: ticket?.label || "ticket",
        price: claimed.price,
        fee: claimed.fee,
        amount: amountOf(claimed),
        currency: claimed.currency,
        reservedUntil: (claimed.reservedUntil ?? now).toISOString(),
      };
    });
  }

  /**
   * Payment asks before refunding a paid reservation on request (internal route): how many of its
   * tickets were sold on or are listed. When none, listing them is blocked for `REFUND_HOLD_MS`, in
   * the same transaction under the reservation's row lock — which a listing takes first — so no
   * ticket of it can change hands between this answer and the refund. Null: unknown reservation.
   */
  async refundCheck(reservationId: string): Promise<ReservationRefundCheck | null> {
    const now = this.now();
    return this.deps.store.transaction(async (repos) => {
      if (!(await repos.reservations.lock(reservationId))) return null;
      const counts = await repos.transfers.countForReservation(reservationId);
      if (counts.transferred || counts.listed) return { reservationId, ...counts, refundHoldUntil: null };
      const until = new Date(now.getTime() + REFUND_HOLD_MS);
      await repos.transfers.holdForRefund(reservationId, until);
      return { reservationId, ...counts, refundHoldUntil: until.toISOString() };
    });
  }

  async byId(idInput: string): Promise<TransferRecord> {
    const id = checkId(idInput, "id");
    const transfer = await this.deps.store.repos.transfers.findById(id);
    if (!transfer) throw new NotFoundError("Transfer", id);
    return transfer;
  }

  /** The marketplace of one event or one artist, newest first. Public. */
  async browse(args: {
    eventId?: string | null;
    artistId?: string | null;
    status?: TransferStatus | null;
    first?: number | null;
    after?: string | null;
  }): Promise<Page<TransferRecord>> {
    if (!args.eventId === !args.artistId) {
      throw new BadUserInputError(
        "Give exactly one of eventId and artistId",
        args.eventId ? "artistId" : "eventId",
      );
    }
    const limit = pageSize(args.first);
    const cursor = decodeCursor(args.after, ["instant", "id"]);
    const rows = await this.deps.store.repos.transfers.list({
      ...(args.eventId ? { eventId: checkId(args.eventId, "eventId") } : {}),
      ...(args.artistId ? { artistId: checkId(args.artistId, "artistId") } : {}),
      status: args.status ?? "LISTED",
      ...(cursor ? { after: { createdAt: new Date(cursor[0] as string), id: cursor[1] as string } } : {}),
      limit: limit + 1,
    });
    return toPage(rows, limit);
  }

  /** What the caller listed or bought, newest first. */
  mine(viewer: Viewer): Promise<TransferRecord[]> {
    return this.deps.store.repos.transfers.listForUser(requireViewer(viewer).userId);
  }
}
