import { z } from "zod";
import { defineEvent } from "../envelope.ts";

/**
 * transfer-events: resale of a ticket between fans (the marketplace arrives in a later issue; the
 * contract is fixed now so payment and ticket agree on it). Key: the transfer id.
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
