import { ConflictError, ServiceUnavailableError } from "@urr/errors";
import type { Logger } from "@urr/logger";
import type { PaymentRecord } from "../domain/records.ts";
import type { TicketClient } from "./ticket-client.ts";

/**
 * Whether a paid reservation may be refunded on request (`cancelPayment`). Ticket's refund of a
 * reservation voids all of its tickets, so a reservation with a ticket sold on the transfer
 * marketplace is not refunded (CONFLICT `TICKET_TRANSFERRED`: its new owner paid for it), and one
 * with a ticket listed now is refunded only once the listing is cancelled (CONFLICT `TICKET_LISTED`).
 * When ticket allows it, it also blocks listing the reservation's tickets for a while, so none can
 * change hands between this check and the provider's refund.
 * When ticket cannot answer, nothing is refunded (SERVICE_UNAVAILABLE, retry). An event's
 * cancellation refunds everything by its own path (ticket's refund requests), not through here.
 */
export class RefundPolicy {
  constructor(
    private readonly ticket: TicketClient,
    private readonly logger?: Logger,
  ) {}

  async assertRefundable(payment: PaymentRecord): Promise<void> {
    if (payment.kind !== "RESERVATION") return;
    let counts: Awaited<ReturnType<TicketClient["refundCheck"]>>;
    try {
      counts = await this.ticket.refundCheck(payment.referenceId);
    } catch (error) {
      this.logger?.error({ err: error, paymentId: payment.id }, "refund check failed");
      throw new ServiceUnavailableError("Refunds cannot be checked right now, retry shortly", {
        reason: "TICKET_UNAVAILABLE",
      });
    }
    if (counts?.transferred) {
      throw new ConflictError(
        "A ticket of this purchase was transferred to another fan; it is not refunded",
        {
          reason: "TICKET_TRANSFERRED",
        },
      );
    }
    if (counts?.listed) {
      throw new ConflictError("A ticket of this purchase is listed for transfer; cancel the listing first", {
        reason: "TICKET_LISTED",
      });
    }
  }
}
