import type { Viewer } from "@urr/auth-tokens";
import { BadUserInputError } from "@urr/errors";
import { checkId, requireAdmin } from "@urr/subgraph-kit";
import type { TicketRecord } from "../domain/records.ts";
import type { TicketCodes } from "../domain/ticket-codes.ts";
import type { TicketStore } from "../repositories/ticket-store.ts";
import type { RevocationRecord } from "./records.ts";

/** Why a code does not admit. */
export type TicketRefusal = "FORGED" | "UNKNOWN_TICKET" | "REVOKED" | "SUPERSEDED" | "EVENT_CANCELLED";

export interface TicketCheck {
  valid: boolean;
  refusal: TicketRefusal | null;
  /** The ticket the code names (null when forged or unknown). */
  ticket: TicketRecord | null;
  /** The version the code carries; the ticket's current one is `ticket.codeVersion`. */
  version: number | null;
}

export const MAX_REVOCATIONS_PAGE = 1_000;

/**
 * What door staff and scanners ask. A scanner verifies a code's signature offline with
 * `ticketVerificationKey` and refuses any (ticket, version) it downloaded from `ticketRevocations`;
 * `verifyTicket` is the online check a member of staff runs: signature, the ticket's current owner's
 * code version, its status and the event.
 */
export class TicketVerificationService {
  constructor(private readonly deps: { store: TicketStore; codes: TicketCodes }) {}

  async verify(viewer: Viewer, code: string): Promise<TicketCheck> {
    requireAdmin(viewer);
    if (code.length > 2_000) throw new BadUserInputError("code is too long", "code");
    const claims = await this.deps.codes.verify(code.trim());
    if (!claims) return { valid: false, refusal: "FORGED", ticket: null, version: null };
    const { repos } = this.deps.store;
    const ticket = (await repos.tickets.findByIds([claims.ticketId]))[0] ?? null;
    const refuse = (refusal: TicketRefusal) => ({ valid: false, refusal, ticket, version: claims.version });
    if (!ticket || ticket.eventId !== claims.eventId) return refuse("UNKNOWN_TICKET");
    if (ticket.status !== "ISSUED") return refuse("REVOKED");
    if (claims.version !== ticket.codeVersion) return refuse("SUPERSEDED");
    const event = await repos.saleEvents.find(ticket.eventId);
    if (!event || event.cancelledAt || event.deleted) return refuse("EVENT_CANCELLED");
    return { valid: true, refusal: null, ticket, version: claims.version };
  }

  /** Codes of an event revoked at or after `since` (all when null), oldest first. */
  revocations(
    viewer: Viewer,
    eventIdInput: string,
    since: Date | null | undefined,
    first: number | null | undefined,
  ): Promise<RevocationRecord[]> {
    requireAdmin(viewer);
    const eventId = checkId(eventIdInput, "eventId");
    const limit = first ?? 500;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REVOCATIONS_PAGE) {
      throw new BadUserInputError(`first must be between 1 and ${MAX_REVOCATIONS_PAGE}`, "first");
    }
    return this.deps.store.repos.transfers.revocations(eventId, since ?? null, limit);
  }
}
