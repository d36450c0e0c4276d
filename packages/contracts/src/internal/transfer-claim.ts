import { z } from "zod";
import { uuid } from "../ids.ts";

/**
 * Ticket's `POST /internal/transfers/:id/claim`, called by payment when a fan prepares a TRANSFER
 * payment (`preparePayment(kind: TRANSFER, referenceId: transfer id)`). Ticket reserves the listing
 * for that buyer for a payment window — one buyer at a time — and says what it costs (face value plus
 * the seller's tier's fee), or why the buyer may not pay for it now. Claiming again by the same
 * buyer answers the same claim (the route is safe to retry). 404 = ticket does not know the transfer.
 */
export const TRANSFER_CLAIM_ROUTE = "/internal/transfers/:id/claim";
export const transferClaimPath = (transferId: string) =>
  TRANSFER_CLAIM_ROUTE.replace(":id", encodeURIComponent(transferId));

export const TransferClaimRequest = z.object({ buyerId: uuid });
export type TransferClaimRequest = z.infer<typeof TransferClaimRequest>;

export const TransferClaimRefusal = z.enum([
  /** Sold or cancelled: nothing to pay for. */
  "NOT_LISTED",
  /** Another buyer is paying for it; it is listed again if their window lapses. */
  "RESERVED_BY_ANOTHER",
  /** The seller cannot buy their own listing. */
  "OWN_LISTING",
  /** The event was cancelled or has begun. */
  "EVENT_CLOSED",
]);

export const TransferClaim = z.discriminatedUnion("outcome", [
  z.object({
    outcome: z.literal("CLAIMED"),
    transferId: uuid,
    ticketId: uuid,
    eventId: uuid,
    sellerId: uuid,
    buyerId: uuid,
    /** What the door shows (seat label or ticket type), for the payment's order name. */
    label: z.string().min(1),
    /** Minor units of `currency` (KRW: whole won): face value, fee, and what the buyer pays. */
    price: z.number().int().nonnegative(),
    fee: z.number().int().nonnegative(),
    amount: z.number().int().positive(),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code"),
    /** The end of the buyer's payment window. */
    reservedUntil: z.iso.datetime({ offset: true }),
  }),
  z.object({
    outcome: z.literal("REFUSED"),
    transferId: uuid,
    reason: TransferClaimRefusal,
    status: z.enum(["LISTED", "RESERVED", "COMPLETED", "CANCELLED"]),
  }),
]);
export type TransferClaim = z.infer<typeof TransferClaim>;
