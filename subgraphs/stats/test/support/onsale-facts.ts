/**
 * A scripted on-sale as its owners would record it: admissions, holds and how each ended,
 * payments, a refund, resales and fan-club memberships, over yesterday and today (Asia/Seoul).
 * The events of onsale-events.ts are derived from these facts, and the expected figures of
 * onsale-expected.ts are computed from them directly, never from the events or the database.
 */
export const NOW = new Date("2026-12-03T05:00:00.000Z"); // 14:00 in Seoul
/** Minutes before NOW. */
export const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
/** Yesterday, 12:00 in Seoul, plus minutes. */
export const yesterday = (minutes = 0) => new Date(Date.parse("2026-12-02T03:00:00.000Z") + minutes * 60_000);

/** Deterministic UUIDs (version 4 shape), one namespace per kind of thing. */
export const uid = (kind: number, n: number) =>
  `${String(kind).padStart(8, "0")}-0000-4000-8000-${String(n).padStart(12, "0")}`;
export const EVENT = { seated: uid(1, 1), standing: uid(1, 2) };
export const user = (n: number) => uid(2, n);
const seat = (n: number) => uid(3, n);
const STANDING_TYPE = uid(4, 1);
const ARTIST = uid(5, 1);

export interface LineFact {
  seatId: string | null;
  ticketTypeId: string | null;
  section: string | null;
  priceTier: string;
  quantity: number;
  unitPrice: number;
  bookingFee: number;
}

export type HoldEnd =
  | { kind: "confirmed"; at: Date; paymentId: string }
  | { kind: "cancelled"; at: Date; reason: "CANCELLED_BY_USER" | "REPLACED" }
  | { kind: "expired"; at: Date };

export interface HoldFact {
  id: string;
  eventId: string;
  userId: string;
  tier: "BRONZE" | "SILVER" | "GOLD" | "DIAMOND";
  createdAt: Date;
  expiresAt: Date;
  lines: LineFact[];
  end?: HoldEnd;
  refundedAt?: Date;
}

export interface PaymentFact {
  id: string;
  kind: "RESERVATION" | "TRANSFER" | "MEMBERSHIP";
  referenceId: string;
  userId: string;
  amount: number;
  confirmedAt: Date;
  refund?: { at: Date; reason: string };
}

export interface AdmissionFact {
  eventId: string;
  userId: string;
  number: number;
  at: Date;
}

export interface TransferFact {
  id: string;
  ticketId: string;
  eventId: string;
  sellerId: string;
  price: number;
  fee: number;
  listedAt: Date;
  completed?: { at: Date; buyerId: string; paymentId: string };
  cancelledAt?: Date;
}

export interface MembershipChange {
  type: "activated" | "renewed" | "tier-changed" | "expired";
  at: Date;
  tier: "SILVER" | "GOLD" | "DIAMOND";
  expiresAt: Date;
  paymentId?: string;
}

export interface MembershipFact {
  id: string;
  userId: string;
  changes: MembershipChange[];
}

export interface RejectionFact {
  paymentId: string;
  reservationId: string;
  reason: "EXPIRED";
  at: Date;
}

const seatLine = (n: number, section: string, tier: string, price: number, fee = 0): LineFact => ({
  seatId: seat(n),
  ticketTypeId: null,
  section,
  priceTier: tier,
  quantity: 1,
  unitPrice: price,
  bookingFee: fee,
});
const standing = (quantity: number): LineFact => ({
  seatId: null,
  ticketTypeId: STANDING_TYPE,
  section: null,
  priceTier: "Standing",
  quantity,
  unitPrice: 50_000,
  bookingFee: 0,
});
const R = (n: number, fee = 0) => seatLine(n, "A", "R", 100_000, fee);
const S = (n: number, fee = 0) => seatLine(n, "B", "S", 70_000, fee);
const hold = uid.bind(null, 6);
const pay = uid.bind(null, 7);
const inAYear = new Date("2027-12-01T00:00:00.000Z");

export const ADMISSIONS: AdmissionFact[] = [
  { eventId: EVENT.seated, userId: user(7), number: 1, at: yesterday() },
  { eventId: EVENT.seated, userId: user(1), number: 2, at: ago(58) },
  { eventId: EVENT.seated, userId: user(2), number: 3, at: ago(57) },
  { eventId: EVENT.seated, userId: user(3), number: 4, at: ago(56) },
  // Number 5 joined and left before being admitted: queue-events never hears of it.
  { eventId: EVENT.seated, userId: user(4), number: 6, at: ago(30) },
  { eventId: EVENT.standing, userId: user(5), number: 1, at: ago(20) },
  { eventId: EVENT.standing, userId: user(6), number: 2, at: ago(12) },
];

const seated = (n: number, userN: number, tier: HoldFact["tier"], created: Date, lines: LineFact[]) => ({
  id: hold(n),
  eventId: EVENT.seated,
  userId: user(userN),
  tier,
  createdAt: created,
  expiresAt: new Date(created.getTime() + 15 * 60_000),
  lines,
});

export const HOLDS: HoldFact[] = [
  {
    ...seated(9, 7, "BRONZE", yesterday(2), [R(9)]),
    end: { kind: "confirmed", at: yesterday(5), paymentId: pay(9) },
  },
  {
    ...seated(1, 1, "BRONZE", ago(55), [R(1), R(2)]),
    end: { kind: "confirmed", at: ago(50), paymentId: pay(1) },
  },
  {
    ...seated(2, 2, "SILVER", ago(54), [R(3, 1_000)]),
    end: { kind: "cancelled", at: ago(53), reason: "REPLACED" },
  },
  { ...seated(3, 2, "SILVER", ago(53), [S(4, 1_000), S(5, 1_000)]), end: { kind: "expired", at: ago(37) } },
  {
    ...seated(4, 3, "SILVER", ago(52), [S(6, 1_000)]),
    end: { kind: "cancelled", at: ago(51), reason: "CANCELLED_BY_USER" },
  },
  {
    ...seated(5, 4, "BRONZE", ago(28), [R(7)]),
    end: { kind: "confirmed", at: ago(27), paymentId: pay(5) },
    refundedAt: ago(10),
  },
  { ...seated(8, 1, "BRONZE", ago(8), [S(8)]), end: { kind: "confirmed", at: ago(6), paymentId: pay(8) } },
  {
    id: hold(6),
    eventId: EVENT.standing,
    userId: user(5),
    tier: "DIAMOND",
    createdAt: ago(18),
    expiresAt: ago(3),
    lines: [standing(3)],
    end: { kind: "confirmed", at: ago(16), paymentId: pay(6) },
  },
  {
    id: hold(7),
    eventId: EVENT.standing,
    userId: user(6),
    tier: "BRONZE",
    createdAt: ago(5),
    expiresAt: new Date(NOW.getTime() + 10 * 60_000),
    lines: [standing(1)],
  },
];

const forHold = (n: number, holdN: number, userN: number, amount: number, at: Date) => ({
  id: pay(n),
  kind: "RESERVATION" as const,
  referenceId: hold(holdN),
  userId: user(userN),
  amount,
  confirmedAt: at,
});

export const PAYMENTS: PaymentFact[] = [
  forHold(9, 9, 7, 100_000, yesterday(5)),
  forHold(1, 1, 1, 200_000, ago(50)),
  // Paid after its hold expired: ticket rejects it and payment refunds it automatically.
  { ...forHold(10, 3, 2, 142_000, ago(36)), refund: { at: ago(35), reason: "RESERVATION_EXPIRED" } },
  { ...forHold(5, 5, 4, 100_000, ago(27)), refund: { at: ago(10), reason: "REQUESTED_BY_BUYER" } },
  forHold(8, 8, 1, 70_000, ago(6)),
  forHold(6, 6, 5, 150_000, ago(16)),
  {
    id: pay(11),
    kind: "TRANSFER",
    referenceId: uid(8, 1),
    userId: user(8),
    amount: 105_000,
    confirmedAt: ago(31),
  },
  {
    id: pay(12),
    kind: "MEMBERSHIP",
    referenceId: uid(9, 1),
    userId: user(2),
    amount: 30_000,
    confirmedAt: yesterday(9),
  },
  {
    id: pay(14),
    kind: "MEMBERSHIP",
    referenceId: uid(9, 1),
    userId: user(2),
    amount: 30_000,
    confirmedAt: ago(44),
  },
  {
    id: pay(13),
    kind: "MEMBERSHIP",
    referenceId: uid(9, 2),
    userId: user(3),
    amount: 30_000,
    confirmedAt: ago(59),
  },
  {
    id: pay(15),
    kind: "MEMBERSHIP",
    referenceId: uid(9, 3),
    userId: user(9),
    amount: 30_000,
    confirmedAt: yesterday(),
  },
];

export const REJECTIONS: RejectionFact[] = [
  { paymentId: pay(10), reservationId: hold(3), reason: "EXPIRED", at: ago(36) },
];

export const TRANSFERS: TransferFact[] = [
  {
    id: uid(8, 1),
    ticketId: uid(10, 1),
    eventId: EVENT.seated,
    sellerId: user(1),
    price: 100_000,
    fee: 5_000,
    listedAt: ago(40),
    completed: { at: ago(30), buyerId: user(8), paymentId: pay(11) },
  },
  {
    id: uid(8, 2),
    ticketId: uid(10, 2),
    eventId: EVENT.seated,
    sellerId: user(1),
    price: 100_000,
    fee: 5_000,
    listedAt: ago(39),
    cancelledAt: ago(33),
  },
];

export const MEMBERSHIPS: MembershipFact[] = [
  {
    id: uid(9, 1),
    userId: user(2),
    changes: [
      { type: "activated", at: yesterday(10), tier: "SILVER", expiresAt: inAYear, paymentId: pay(12) },
      { type: "tier-changed", at: ago(45), tier: "GOLD", expiresAt: inAYear },
      {
        type: "renewed",
        at: ago(44),
        tier: "GOLD",
        expiresAt: new Date("2028-12-01T00:00:00.000Z"),
        paymentId: pay(14),
      },
    ],
  },
  {
    id: uid(9, 2),
    userId: user(3),
    changes: [{ type: "activated", at: ago(59), tier: "SILVER", expiresAt: inAYear, paymentId: pay(13) }],
  },
  {
    id: uid(9, 3),
    userId: user(9),
    changes: [
      { type: "activated", at: yesterday(), tier: "SILVER", expiresAt: ago(2), paymentId: pay(15) },
      { type: "expired", at: ago(2), tier: "SILVER", expiresAt: ago(2) },
    ],
  },
];

export const MEMBERSHIP_ARTIST = ARTIST;
