import {
  type EventEnvelope,
  EventHandlers,
  PaymentConfirmed,
  type PaymentKind,
  PaymentRefunded,
} from "@urr/events";
import type { z } from "zod";

type Confirmed = EventEnvelope<"payment.confirmed", z.output<typeof PaymentConfirmed.payload>>;
type Refunded = EventEnvelope<"payment.refunded", z.output<typeof PaymentRefunded.payload>>;

/** The owner, inside ticket, of what a payment pays for: it applies that payment's events. */
export interface PaidReferenceOwner {
  confirmed(event: Confirmed): Promise<string>;
  /** Omitted: a refund of this kind changes nothing in ticket (acknowledged as ignored). */
  refunded?(event: Refunded): Promise<string>;
}

/**
 * payment-events, routed by the payment's `kind` to the domain that owns its reference:
 * reservations (the purchase saga), memberships, and — when the marketplace exists — transfers.
 * A kind without an owner here is acknowledged as ignored, never applied by another domain.
 */
export function paymentEventHandlers(
  owners: Partial<Record<PaymentKind, PaidReferenceOwner>>,
): EventHandlers {
  return new EventHandlers()
    .on(
      PaymentConfirmed,
      (event) => owners[event.payload.kind]?.confirmed(event) ?? Promise.resolve("ignored"),
    )
    .on(
      PaymentRefunded,
      (event) => owners[event.payload.kind]?.refunded?.(event) ?? Promise.resolve("ignored"),
    );
}
