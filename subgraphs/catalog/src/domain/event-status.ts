import type { EventRecord } from "./records.ts";

export type EventStatus = "UPCOMING" | "ON_SALE" | "ENDED" | "CANCELLED";

/**
 * The one definition of an event's status. The listing filter (`statusWindow`) describes the same
 * intervals, so a filtered list and the status field can never disagree.
 */
export function statusOf(
  event: Pick<EventRecord, "saleStartsAt" | "saleEndsAt" | "cancelledAt">,
  now: Date,
): EventStatus {
  if (event.cancelledAt) return "CANCELLED";
  if (now < event.saleStartsAt) return "UPCOMING";
  if (now < event.saleEndsAt) return "ON_SALE";
  return "ENDED";
}

/** The conditions on an event's fields that select one status at `now`. */
export interface StatusWindow {
  cancelled: boolean;
  saleStartsAfter?: Date;
  saleStartsAtOrBefore?: Date;
  saleEndsAfter?: Date;
  saleEndsAtOrBefore?: Date;
}

export function statusWindow(status: EventStatus, now: Date): StatusWindow {
  switch (status) {
    case "CANCELLED":
      return { cancelled: true };
    case "UPCOMING":
      return { cancelled: false, saleStartsAfter: now };
    case "ON_SALE":
      return { cancelled: false, saleStartsAtOrBefore: now, saleEndsAfter: now };
    case "ENDED":
      return { cancelled: false, saleEndsAtOrBefore: now };
  }
}
