import { z } from "zod";
import { uuid } from "../ids.ts";

/**
 * Ticket's `GET /internal/membership-orders/:id`, read by payment before it takes money for a
 * fan-club membership (`preparePayment(kind: MEMBERSHIP, referenceId)`): whose order it is, whether
 * it is still open, and what the artist's membership costs now. An order is one payable step of a
 * membership — joining, or one renewal — so a membership can be paid for once per term while
 * payment keeps one live payment per reference. Both sides parse with this schema. 404 = ticket
 * does not know the order.
 */
export const MEMBERSHIP_ORDER_ROUTE = "/internal/membership-orders/:id";
export const membershipOrderPath = (orderId: string) =>
  MEMBERSHIP_ORDER_ROUTE.replace(":id", encodeURIComponent(orderId));

export const MembershipOrderSnapshot = z.object({
  id: uuid,
  membershipId: uuid,
  userId: uuid,
  artistId: uuid,
  artistName: z.string().min(1),
  /** JOIN activates a pending membership; RENEWAL extends an active or expired one by a term. */
  purpose: z.enum(["JOIN", "RENEWAL"]),
  /** OPEN until a confirmed payment is applied to it. */
  status: z.enum(["OPEN", "PAID"]),
  /** The artist's membership price now, in minor units of `currency` (KRW: whole won). */
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code"),
  /** The payment applied to it; null while OPEN. */
  paymentId: uuid.nullable(),
});

export type MembershipOrderSnapshot = z.infer<typeof MembershipOrderSnapshot>;
