import { z } from "zod";
import { defineEvent } from "../envelope.ts";

/**
 * transfer-events: resale of a ticket between fans on ticket's marketplace. Key: the transfer id.
 * Payment marks a transfer's payment fulfilled on `transfer.completed` and refunds it on
 * `transfer.payment-rejected`; `transfer.listed` and `transfer.cancelled` are for projections.
 */
export const TRANSFER_TOPIC = "transfer-events";

export const TransferCompleted = defineEvent({
  type: "transfer.completed",
  version: 1,
  topic: TRANSFER_TOPIC,
  payload: z.object({
    transferId: z.uuid(),
    ticketId: z.uuid(),
    fromUserId: z.uuid(),
    toUserId: z.uuid(),
    paymentId: z.uuid(),
    completedAt: z.iso.datetime({ offset: true }),
  }),
});

const instant = z.iso.datetime({ offset: true });

export const TransferListed = defineEvent({
  type: "transfer.listed",
  version: 1,
  topic: TRANSFER_TOPIC,
  payload: z.object({
    transferId: z.uuid(),
    ticketId: z.uuid(),
    eventId: z.uuid(),
    sellerId: z.uuid(),
    /** Integer minor units: the face value, and the fee the buyer pays on top. */
    price: z.number().int().nonnegative(),
    fee: z.number().int().nonnegative(),
    currency: z.string().length(3),
    listedAt: instant,
  }),
});

/** Why a listing left the marketplace unsold. */
export const transferCancelReason = z.enum(["CANCELLED_BY_SELLER", "EVENT_CANCELLED", "TICKET_REVOKED"]);

export const TransferCancelled = defineEvent({
  type: "transfer.cancelled",
  version: 1,
  topic: TRANSFER_TOPIC,
  payload: z.object({
    transferId: z.uuid(),
    ticketId: z.uuid(),
    reason: transferCancelReason,
    cancelledAt: instant,
  }),
});

/** Why a confirmed payment could not buy the listing; payment refunds it with this reason. */
export const transferRejectionReason = z.enum([
  "UNKNOWN_TRANSFER",
  /** Another buyer's payment completed it first. */
  "ALREADY_SOLD",
  "TRANSFER_CANCELLED",
  /** Another buyer holds the payment window. */
  "RESERVED_BY_ANOTHER",
  "OWN_LISTING",
  "AMOUNT_MISMATCH",
  /** The seller's ticket is no longer theirs or no longer valid. */
  "TICKET_NOT_TRANSFERABLE",
  "EVENT_CANCELLED",
]);
export type TransferRejectionReason = z.infer<typeof transferRejectionReason>;

export const TransferPaymentRejected = defineEvent({
  type: "transfer.payment-rejected",
  version: 1,
  topic: TRANSFER_TOPIC,
  payload: z.object({
    transferId: z.uuid(),
    paymentId: z.uuid(),
    reason: transferRejectionReason,
    rejectedAt: instant,
  }),
});
