/** The shapes of the registered documents' answers this page reads (documents/web/*.graphql). */

export type SeatStatus = "AVAILABLE" | "HELD" | "RESERVED";

export interface EventCard {
  id: string;
  title: string;
  venue: string;
  startsAt: string;
  status: string;
  artist: { name: string };
  availability: { totalSeats: number; available: number };
}

export interface Seat {
  id: string;
  section: string;
  row: string;
  number: number;
  label: string;
  priceTier: string;
  price: number;
  status: SeatStatus;
  x: number;
  y: number;
}

export interface SeatLayout {
  name: string;
  priceTiers: { name: string; price: number }[];
  sections: { name: string; priceTier: string; x: number; y: number }[];
}

export interface SeatMapEvent {
  id: string;
  title: string;
  status: string;
  seatLayout: SeatLayout | null;
  seats: Seat[];
  availability: { totalSeats: number; available: number; held: number; reserved: number };
}

export interface SeatAvailabilityUpdate {
  changes: { seatId: string; status: SeatStatus }[];
  availability: { totalSeats: number; available: number; held: number; reserved: number };
}

export type QueueState = "QUEUED" | "ACTIVE" | "NOT_IN_QUEUE";

export interface QueueTicket {
  state: QueueState;
  position: number;
  queueSize: number;
  activeUsers: number;
  estimatedWaitSeconds: number | null;
  entryToken: string | null;
  entryTokenExpiresAt: string | null;
}

export interface Reservation {
  id: string;
  number: string;
  status: string;
  totalAmount: number;
  currency: string;
  expiresAt: string | null;
  items: { seat: { id: string; label: string } | null; unitPrice: number }[];
}

export interface Ticket {
  id: string;
  label: string;
  code: string;
  status: string;
}

export interface ReservationUpdate {
  id: string;
  number: string;
  status: string;
  endReason: string | null;
  tickets: Ticket[];
}

export interface Viewer {
  id: string;
  email: string;
  name: string;
}
