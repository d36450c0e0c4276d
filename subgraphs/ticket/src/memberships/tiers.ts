import type { MembershipTier } from "@urr/contracts";

export type { MembershipTier } from "@urr/contracts";
/** A member's own tier (from points); BRONZE is only ever the tier of a non-member. */
export type MemberTier = Exclude<MembershipTier, "BRONZE">;

/**
 * The fan-club tier table of the system URR replaces (its MembershipService), in one place:
 * points per action, the points each tier starts at, the booking fee per ticket and the transfer
 * fee. The pre-sale stage of each tier is shared with the queue (`presaleOpensAt` in @urr/contracts).
 *
 * | tier    | points      | booking fee | transfer fee       |
 * | BRONZE  | non-member  | 0           | may not list       |
 * | SILVER  | 0–499       | 3,000       | 10 %               |
 * | GOLD    | 500–1,499   | 2,000       | 5 %                |
 * | DIAMOND | 1,500 and up| 1,000       | 5 %                |
 */
export const POINTS = { JOIN: 200, RENEWAL: 200, PURCHASE: 100 } as const;

const TIER_FLOORS: readonly [MemberTier, number][] = [
  ["DIAMOND", 1_500],
  ["GOLD", 500],
  ["SILVER", 0],
];

/** Integer KRW added to each ticket a buyer of this tier reserves for the artist's events. */
export const BOOKING_FEE: Record<MembershipTier, number> = {
  BRONZE: 0,
  SILVER: 3_000,
  GOLD: 2_000,
  DIAMOND: 1_000,
};

/**
 * Percent of the face value a buyer pays on top when buying a ticket listed by a seller of this
 * tier (the transfer marketplace); null: this tier may not list.
 */
export const TRANSFER_FEE_PERCENT: Record<MembershipTier, number | null> = {
  BRONZE: null,
  SILVER: 10,
  GOLD: 5,
  DIAMOND: 5,
};

/** How long a paid term lasts: a year, added to the end of the current term when renewed early. */
export function termEnd(from: Date): Date {
  const end = new Date(from);
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  return end;
}

export function tierForPoints(points: number): MemberTier {
  for (const [tier, floor] of TIER_FLOORS) if (points >= floor) return tier;
  return "SILVER";
}
