import type { MembershipTier } from "@urr/contracts";

export type TransferStatus = "LISTED" | "RESERVED" | "COMPLETED" | "CANCELLED";
export type TransferEndReason = "CANCELLED_BY_SELLER" | "EVENT_CANCELLED" | "TICKET_REVOKED";

/** A ticket offered on the marketplace, as ticket keeps it. */
export interface TransferRecord {
  id: string;
  ticketId: string;
  eventId: string;
  artistId: string;
  sellerId: string;
  sellerTier: MembershipTier;
  /** Integer KRW: the face value the seller paid (no resale above it). */
  price: number;
  feePercent: number;
  /** Integer KRW the buyer pays on top of `price`. */
  fee: number;
  currency: string;
  status: TransferStatus;
  buyerId: string | null;
  reservedUntil: Date | null;
  paymentId: string | null;
  endReason: string | null;
  createdAt: Date;
  completedAt: Date | null;
  cancelledAt: Date | null;
}

/** What a buyer pays for a listing: the face value and the seller's tier's fee. */
export const amountOf = (transfer: Pick<TransferRecord, "price" | "fee">) => transfer.price + transfer.fee;

/**
 * Whether a buyer holds the listing's payment window at `now`. A RESERVED listing whose window has
 * passed is as good as LISTED even before the sweep puts it back.
 */
export function heldBy(transfer: TransferRecord, now: Date): string | null {
  if (transfer.status !== "RESERVED" || !transfer.reservedUntil) return null;
  return transfer.reservedUntil > now ? transfer.buyerId : null;
}

/** A code that no longer admits, as door scanners download it. */
export interface RevocationRecord {
  ticketId: string;
  version: number;
  eventId: string;
  reason: string;
  revokedAt: Date;
}
