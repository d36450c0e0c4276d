/** Every topic's contracts, defined once; producers and consumers import them from here. */
export * from "./audit.ts";
export * from "./catalog.ts";
export * from "./membership.ts";
export * from "./payment.ts";
export * from "./queue.ts";
export * from "./refund-request.ts";
export * from "./reservation.ts";
export * from "./transfer.ts";

import { AUDIT_TOPIC } from "./audit.ts";
import { CATALOG_TOPIC } from "./catalog.ts";
import { MEMBERSHIP_TOPIC } from "./membership.ts";
import { PAYMENT_TOPIC } from "./payment.ts";
import { QUEUE_TOPIC } from "./queue.ts";
import { RESERVATION_TOPIC } from "./reservation.ts";
import { TRANSFER_TOPIC } from "./transfer.ts";

export const ALL_TOPICS = [
  CATALOG_TOPIC,
  PAYMENT_TOPIC,
  RESERVATION_TOPIC,
  TRANSFER_TOPIC,
  MEMBERSHIP_TOPIC,
  QUEUE_TOPIC,
  AUDIT_TOPIC,
] as const;
