import { randomUUID } from "node:crypto";
import type { Viewer } from "@urr/auth-tokens";
import { BadUserInputError, ConflictError, NotFoundError } from "@urr/errors";
import { requireViewer } from "@urr/subgraph-kit";
import type { TicketStore } from "../repositories/ticket-store.ts";
import type { BuyerTermsPolicy } from "./buyer-terms.ts";
import type { ReservationRecord } from "./records.ts";
import { checkId, checkIdempotencyKey, checkItems, type ItemInput } from "./reservation-input.ts";
import { publishGeneralAdmissionCreated } from "./reservation-lifecycle.ts";
import { newReservationNumber } from "./reservation-number.ts";
import { saleMetrics } from "./sale-metrics.ts";
import { assertNotClosed } from "./sale-policy.ts";
import type { HoldPolicy } from "./seat-hold.service.ts";
import { sameRequest } from "./seat-hold.service.ts";

/**
 * General admission by quantity. Stock is taken with one guarded UPDATE per ticket type
 * (`available >= n`), so no number of concurrent buyers can oversell; a request for several types
 * takes all or nothing (one transaction).
 */
export class GeneralAdmissionService {
  constructor(
    private readonly deps: {
      store: TicketStore;
      policy: HoldPolicy;
      /** Who may buy now (the pre-sale stages) and at what booking fee. */
      terms: BuyerTermsPolicy;
      clock?: () => Date;
    },
  ) {}

  async reserveTickets(
    viewer: Viewer,
    eventIdInput: string,
    itemInput: readonly ItemInput[],
    keyInput: string,
  ): Promise<ReservationRecord> {
    // Counted once the transaction committed (a repeated request is not a new hold).
    const outcome = { created: false };
    try {
      const reservation = await this.reserve(viewer, eventIdInput, itemInput, keyInput, outcome);
      if (outcome.created) saleMetrics.holdWon();
      return reservation;
    } catch (error) {
      if (error instanceof ConflictError && error.extensions.reason === "SOLD_OUT") saleMetrics.holdSoldOut();
      throw error;
    }
  }

  private async reserve(
    viewer: Viewer,
    eventIdInput: string,
    itemInput: readonly ItemInput[],
    keyInput: string,
    outcome: { created: boolean },
  ): Promise<ReservationRecord> {
    const user = requireViewer(viewer);
    const eventId = checkId(eventIdInput, "eventId");
    const items = checkItems(itemInput, this.deps.policy.maxTicketsPerUser);
    const idempotencyKey = checkIdempotencyKey(keyInput);
    const { store, policy } = this.deps;
    const now = this.deps.clock?.() ?? new Date();

    const repeated = await store.repos.reservations.findByIdempotencyKey(user.userId, idempotencyKey);
    if (repeated) return sameRequest(repeated, eventId);
    const terms = await this.deps.terms.termsFor(user.userId, eventId, now);
    const types = await store.repos.ticketTypes.findByIds(items.map((i) => i.ticketTypeId));
    const missing = items.filter((i) => !types.some((t) => t.id === i.ticketTypeId));
    if (missing.length) throw new NotFoundError("TicketType", missing.map((i) => i.ticketTypeId).join(", "));
    if (types.some((t) => t.eventId !== eventId))
      throw new BadUserInputError("Some ticket types belong to another event", "items");
    // Sold out is answered from the plain read, without a transaction: after a sell-out the crowd
    // keeps asking, and queueing every one of them for the stock row's lock only to say "sold out"
    // starves the pool (callers then met SERVICE_UNAVAILABLE instead of SOLD_OUT). Stock only
    // grows back through releases, so a read that saw too little was true when it was made.
    for (const item of items) {
      const type = types.find((t) => t.id === item.ticketTypeId);
      if (type && type.availableQuantity < item.quantity) throw soldOut(type.name, type.id);
    }

    return store.transaction(async (repos) => {
      await repos.enterSale(eventId);
      await repos.lockBuyer(user.userId, eventId);
      const raced = await repos.reservations.findByIdempotencyKey(user.userId, idempotencyKey);
      if (raced) return sameRequest(raced, eventId);
      const requested = items.reduce((sum, i) => sum + i.quantity, 0);
      const owned = await repos.reservations.activeTicketCount(user.userId, eventId);
      if (owned + requested > policy.maxTicketsPerUser) {
        throw new BadUserInputError(
          `At most ${policy.maxTicketsPerUser} tickets per person for this event; you already have ${owned}`,
          "items",
          { limit: policy.maxTicketsPerUser, alreadyHeld: owned },
        );
      }
      // A fixed order across requests, so two buyers of the same two types cannot deadlock.
      for (const item of [...items].sort((a, b) => a.ticketTypeId.localeCompare(b.ticketTypeId))) {
        if (!(await repos.ticketTypes.take(item.ticketTypeId, eventId, item.quantity))) {
          throw soldOut(types.find((t) => t.id === item.ticketTypeId)?.name, item.ticketTypeId);
        }
      }
      // Under the sale lock: a cancellation waits for this hold to commit (and then ends it), or
      // committed before this transaction took the lock and is seen here.
      assertNotClosed(await repos.saleEvents.find(eventId), eventId);
      const price = (id: string) => types.find((t) => t.id === id)?.price ?? 0;
      outcome.created = true;
      const reservation = await repos.reservations.create({
        id: randomUUID(),
        number: newReservationNumber(),
        userId: user.userId,
        eventId,
        totalAmount: items.reduce(
          (sum, i) => sum + (price(i.ticketTypeId) + terms.bookingFee) * i.quantity,
          0,
        ),
        buyerTier: terms.tier,
        expiresAt: new Date(now.getTime() + policy.holdTtlMs),
        idempotencyKey,
        items: items.map((i) => ({
          ticketTypeId: i.ticketTypeId,
          quantity: i.quantity,
          unitPrice: price(i.ticketTypeId),
          bookingFee: terms.bookingFee,
        })),
      });
      await publishGeneralAdmissionCreated(repos, reservation, types);
      return reservation;
    });
  }
}

function soldOut(name: string | undefined, ticketTypeId: string): ConflictError {
  return new ConflictError(`Not enough "${name}" tickets left`, { reason: "SOLD_OUT", ticketTypeId });
}
