import type { AuthenticatedViewer } from "@urr/auth-tokens";
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
} from "@urr/errors";
import type { Logger } from "@urr/logger";
import { InternalApiError } from "@urr/subgraph-kit";
import type { PaymentKind } from "../domain/records.ts";
import type { TicketClient } from "./ticket-client.ts";

/** What is being paid for, as its owner describes it. */
export interface PayableReference {
  amount: number;
  currency: string;
  orderName: string;
  /**
   * The owner reserved the reference for this payer now (a transfer listing's payment window): a
   * pending payment of another payer that is not being confirmed makes way. Their confirmation, if it
   * still comes, is rejected by the owner and refunded.
   */
  claimedForPayer?: boolean;
}

/**
 * Asks the subgraph that owns a payment's reference whether the caller may pay for it and how
 * much it costs. Payment never trusts an amount from the client.
 */
export interface ReferenceChecker {
  check(viewer: AuthenticatedViewer, referenceId: string): Promise<PayableReference>;
}

/**
 * Asks ticket, mapping what can go wrong with the call itself to a coded refusal: ticket down is
 * TICKET_UNAVAILABLE; an answer that breaks the contract is a deployment bug, not the payer's, and
 * TICKET_ANSWER_INVALID tells operators which side to look at (the cause is in payment's log).
 */
async function askTicket<T>(
  what: string,
  ask: () => Promise<T>,
  logger: Logger | undefined,
  referenceId: string,
) {
  try {
    return await ask();
  } catch (error) {
    const broken = error instanceof InternalApiError && error.code === "INTERNAL_API_CONTRACT_VIOLATION";
    logger?.error({ err: error, referenceId }, `${what} check failed`);
    throw new ServiceUnavailableError(`${what}s cannot be checked right now, retry shortly`, {
      reason: broken ? "TICKET_ANSWER_INVALID" : "TICKET_UNAVAILABLE",
    });
  }
}

export class ReservationChecker implements ReferenceChecker {
  constructor(
    private readonly ticket: TicketClient,
    private readonly logger?: Logger,
  ) {}

  async check(viewer: AuthenticatedViewer, referenceId: string): Promise<PayableReference> {
    const reservation = await askTicket(
      "Reservation",
      () => this.ticket.reservation(referenceId),
      this.logger,
      referenceId,
    );
    if (!reservation) throw new NotFoundError("Reservation", referenceId);
    if (reservation.userId !== viewer.userId) {
      throw new ForbiddenError("This reservation belongs to someone else", "NOT_OWNER");
    }
    if (reservation.status !== "PENDING") {
      throw new ConflictError(`Reservation is ${reservation.status.toLowerCase()}, nothing to pay`, {
        reason: `RESERVATION_${reservation.status}`,
      });
    }
    if (!reservation.holdIntact) {
      throw new ConflictError("The hold on these seats has lapsed; hold them again", {
        reason: reservation.holdProblem ?? "HOLD_LOST",
      });
    }
    return {
      amount: reservation.totalAmount,
      currency: reservation.currency,
      orderName: `Tickets ${reservation.number}`,
    };
  }
}

/**
 * A fan-club membership: the reference is the membership's open order (`Membership.openOrder.id`
 * from ticket's `joinMembership`), priced by ticket at the artist's current membership price.
 */
export class MembershipChecker implements ReferenceChecker {
  constructor(
    private readonly ticket: TicketClient,
    private readonly logger?: Logger,
  ) {}

  async check(viewer: AuthenticatedViewer, referenceId: string): Promise<PayableReference> {
    const order = await askTicket(
      "Membership order",
      () => this.ticket.membershipOrder(referenceId),
      this.logger,
      referenceId,
    );
    if (!order) throw new NotFoundError("MembershipOrder", referenceId);
    if (order.userId !== viewer.userId) {
      throw new ForbiddenError("This membership belongs to someone else", "NOT_OWNER");
    }
    if (order.status !== "OPEN") {
      throw new ConflictError("This membership order is already paid; join again to renew", {
        reason: "MEMBERSHIP_ORDER_PAID",
      });
    }
    const name = `Fan club ${order.artistName}${order.purpose === "RENEWAL" ? " renewal" : ""}`;
    return { amount: order.amount, currency: order.currency, orderName: name.slice(0, 100) };
  }
}

/**
 * A listed ticket on ticket's transfer marketplace: asking reserves it for the payer for a payment
 * window (one buyer at a time), priced by ticket at face value plus the seller's tier's fee. A
 * second buyer during someone's window is refused here, before any money is taken.
 */
export class TransferChecker implements ReferenceChecker {
  constructor(
    private readonly ticket: TicketClient,
    private readonly logger?: Logger,
  ) {}

  async check(viewer: AuthenticatedViewer, referenceId: string): Promise<PayableReference> {
    const claim = await askTicket(
      "Transfer",
      () => this.ticket.claimTransfer(referenceId, viewer.userId),
      this.logger,
      referenceId,
    );
    if (!claim) throw new NotFoundError("Transfer", referenceId);
    switch (claim.outcome) {
      case "CLAIMED":
        return {
          amount: claim.amount,
          currency: claim.currency,
          orderName: `Transferred ticket ${claim.label}`.slice(0, 100),
          claimedForPayer: true,
        };
      case "REFUSED":
        switch (claim.reason) {
          case "OWN_LISTING":
            throw new ForbiddenError("You cannot buy your own listing", "OWN_LISTING");
          case "RESERVED_BY_ANOTHER":
            throw new ConflictError(
              "Another fan is paying for this ticket; it is listed again if they do not",
              {
                reason: "TRANSFER_RESERVED",
              },
            );
          case "EVENT_CLOSED":
            throw new ConflictError("The event is cancelled or has begun", { reason: "EVENT_CLOSED" });
          case "NOT_LISTED":
            throw new ConflictError(`This transfer is ${claim.status.toLowerCase()}, nothing to pay`, {
              reason: `TRANSFER_${claim.status}`,
            });
        }
    }
  }
}

/**
 * Kinds payment cannot check: every kind when no service secret lets payment ask ticket.
 */
export class UnavailableKind implements ReferenceChecker {
  constructor(private readonly kind: PaymentKind) {}

  async check(): Promise<PayableReference> {
    throw new BadUserInputError(`${this.kind} payments are not offered yet`, "kind", {
      reason: "KIND_NOT_OFFERED",
    });
  }
}
