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
}

/**
 * Asks the subgraph that owns a payment's reference whether the caller may pay for it and how
 * much it costs. Payment never trusts an amount from the client.
 */
export interface ReferenceChecker {
  check(viewer: AuthenticatedViewer, referenceId: string): Promise<PayableReference>;
}

export class ReservationChecker implements ReferenceChecker {
  constructor(
    private readonly ticket: TicketClient,
    private readonly logger?: Logger,
  ) {}

  async check(viewer: AuthenticatedViewer, referenceId: string): Promise<PayableReference> {
    let reservation: Awaited<ReturnType<TicketClient["reservation"]>>;
    try {
      reservation = await this.ticket.reservation(referenceId);
    } catch (error) {
      // A contract violation is a deployment bug, not the buyer's: still a coded refusal, and the
      // reason tells operators which side to look at (the cause is in payment's log).
      const broken = error instanceof InternalApiError && error.code === "INTERNAL_API_CONTRACT_VIOLATION";
      this.logger?.error({ err: error, referenceId }, "reservation check failed");
      throw new ServiceUnavailableError("Reservations cannot be checked right now, retry shortly", {
        reason: broken ? "TICKET_ANSWER_INVALID" : "TICKET_UNAVAILABLE",
      });
    }
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

/** Kinds whose owning feature does not exist yet (transfers, memberships arrive in later issues). */
export class UnavailableKind implements ReferenceChecker {
  constructor(private readonly kind: PaymentKind) {}

  async check(): Promise<PayableReference> {
    throw new BadUserInputError(`${this.kind} payments are not offered yet`, "kind", {
      reason: "KIND_NOT_OFFERED",
    });
  }
}
