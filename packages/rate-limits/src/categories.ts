/**
 * The rate-limit categories, as the subgraph schemas name them in `@rateLimit(category:)` (the
 * `RateLimitCategory` enum every subgraph declares identically). A root field without the
 * directive is GENERAL.
 */
export const RATE_LIMIT_CATEGORIES = ["AUTH", "QUEUE", "BOOKING", "COMMUNITY", "GENERAL"] as const;

export type RateLimitCategory = (typeof RATE_LIMIT_CATEGORIES)[number];

export function isRateLimitCategory(value: string): value is RateLimitCategory {
  return (RATE_LIMIT_CATEGORIES as readonly string[]).includes(value);
}

/**
 * Calls per minute per subject: the reference system's values (docs/REFERENCE.md), and COMMUNITY,
 * which it did not have: writing on artist boards, 20 a minute (a post or comment every three
 * seconds is more than a person types; a script flooding a board is what it stops).
 */
export const DEFAULT_LIMITS_PER_MINUTE: Readonly<Record<RateLimitCategory, number>> = {
  AUTH: 60,
  QUEUE: 120,
  BOOKING: 30,
  COMMUNITY: 20,
  GENERAL: 3000,
};

export type LimitsPerMinute = Readonly<Record<RateLimitCategory, number>>;

/**
 * The category an operation counts against when it touches several: the one with the lowest limit,
 * ties broken in this order (money before passwords before the waiting room before posting before
 * browsing).
 */
const TIE_ORDER: readonly RateLimitCategory[] = ["BOOKING", "AUTH", "QUEUE", "COMMUNITY", "GENERAL"];

export function strictest(
  categories: Iterable<RateLimitCategory>,
  limits: LimitsPerMinute = DEFAULT_LIMITS_PER_MINUTE,
): RateLimitCategory {
  let chosen: RateLimitCategory = "GENERAL";
  for (const category of categories) {
    const lower = limits[category] < limits[chosen];
    const tieWins =
      limits[category] === limits[chosen] && TIE_ORDER.indexOf(category) < TIE_ORDER.indexOf(chosen);
    if (lower || tieWins) chosen = category;
  }
  return chosen;
}
