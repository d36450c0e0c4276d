/** Ticket records as the domain sees them (repositories return these, never Prisma rows). */
import type { MembershipTier } from "@urr/contracts";

export type SeatStatus = "AVAILABLE" | "HELD" | "RESERVED";
export type ReservationStatus = "PENDING" | "CONFIRMED" | "CANCELLED" | "EXPIRED" | "REFUNDED";

export interface SaleEvent {
  eventId: string;
  title: string;
  startsAt: Date;
  saleStartsAt: Date;
  saleEndsAt: Date;
  cancelledAt: Date | null;
  deleted: boolean;
  revision: number;
}

export interface SeatRecord {
  id: string;
  eventId: string;
  section: string;
  rowLabel: string;
  rowIndex: number;
  number: number;
  label: string;
  priceTier: string;
  price: number;
  x: number;
  y: number;
  status: SeatStatus;
  version: number;
  fencingToken: bigint;
  heldBy: string | null;
  reservationId: string | null;
}

export interface TicketTypeRecord {
  id: string;
  eventId: string;
  name: string;
  price: number;
  totalQuantity: number;
  availableQuantity: number;
}

export interface ReservationItemRecord {
  id: string;
  seatId: string | null;
  ticketTypeId: string | null;
  quantity: number;
  unitPrice: number;
  /** Per unit, on top of `unitPrice`: the booking fee of the buyer's fan-club tier. */
  bookingFee: number;
  fencingToken: bigint | null;
}

export interface ReservationRecord {
  id: string;
  number: string;
  userId: string;
  eventId: string;
  status: ReservationStatus;
  /** Unit prices and booking fees of every item. */
  totalAmount: number;
  currency: string;
  /** The buyer's fan-club tier for the event's artist when it was made (it set the booking fees). */
  buyerTier: MembershipTier;
  expiresAt: Date;
  idempotencyKey: string;
  endReason: string | null;
  paymentId: string | null;
  confirmedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  items: ReservationItemRecord[];
}

export type TicketStatus = "ISSUED" | "REVOKED";

export interface TicketRecord {
  id: string;
  reservationId: string;
  userId: string;
  eventId: string;
  seatId: string | null;
  ticketTypeId: string | null;
  label: string;
  code: string;
  status: TicketStatus;
  /** Grows when the ticket changes hands; the code carries it (older codes are revoked). */
  codeVersion: number;
  issuedAt: Date;
  revokedAt: Date | null;
}

export interface SeatLayoutRecord {
  id: string;
  name: string;
  description: string;
  definition: LayoutDefinition;
  createdAt: Date;
}

export interface LayoutDefinition {
  priceTiers: { name: string; price: number }[];
  sections: {
    name: string;
    priceTier: string;
    x: number;
    y: number;
    rows: { label: string; seats: number }[];
  }[];
}
