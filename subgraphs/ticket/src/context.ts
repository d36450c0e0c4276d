import type { BaseContext } from "@urr/subgraph-kit";
import DataLoader from "dataloader";
import type { PubSubEngine } from "graphql-subscriptions";
import type { EntryGate } from "./domain/entry-gate.ts";
import type { GeneralAdmissionService } from "./domain/general-admission.service.ts";
import type {
  ReservationRecord,
  SeatLayoutRecord,
  SeatRecord,
  TicketRecord,
  TicketTypeRecord,
} from "./domain/records.ts";
import type { ReservationService } from "./domain/reservation.service.ts";
import type { SeatHoldService } from "./domain/seat-hold.service.ts";
import type { SeatingAdminService } from "./domain/seating-admin.service.ts";
import type { TicketCodes } from "./domain/ticket-codes.ts";
import type { SeatFeed } from "./live/seat-feed.ts";
import type { MembershipService } from "./memberships/membership.service.ts";
import type { MembershipLoaders } from "./memberships/membership-loaders.ts";
import type { AvailabilityRow } from "./repositories/seat.repository.ts";
import type { TicketStore } from "./repositories/ticket-store.ts";
import type { TicketVerificationService } from "./transfers/ticket-verification.ts";
import type { TransferService } from "./transfers/transfer.service.ts";
import type { TransferLoaders } from "./transfers/transfer-loaders.ts";

export interface TicketContext extends BaseContext {
  entry: EntryGate;
  seatFeed: SeatFeed;
  pubsub: PubSubEngine;
  holds: SeatHoldService;
  generalAdmission: GeneralAdmissionService;
  reservations: ReservationService;
  seating: SeatingAdminService;
  codes: TicketCodes;
  memberships: MembershipService;
  loaders: TicketLoaders;
  membershipLoaders: MembershipLoaders;
  transfers: TransferService;
  ticketVerification: TicketVerificationService;
  transferLoaders: TransferLoaders;
}

type DataLoaderBatch<K, V> = (keys: readonly K[]) => PromiseLike<ArrayLike<V | Error>>;

export interface TicketLoaders {
  seatsByEvent: DataLoader<string, SeatRecord[]>;
  availabilityByEvent: DataLoader<string, AvailabilityRow[]>;
  ticketTypesByEvent: DataLoader<string, TicketTypeRecord[]>;
  layoutByEvent: DataLoader<string, SeatLayoutRecord | null>;
  seatById: DataLoader<string, SeatRecord | null>;
  ticketTypeById: DataLoader<string, TicketTypeRecord | null>;
  reservationById: DataLoader<string, ReservationRecord | null>;
  reservationsByUser: DataLoader<string, ReservationRecord[]>;
  ticketsByUser: DataLoader<string, TicketRecord[]>;
  ticketsByReservation: DataLoader<string, TicketRecord[]>;
  ticketById: DataLoader<string, TicketRecord | null>;
}

function groupBy<T, K extends keyof T>(keys: readonly string[], rows: T[], key: K): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(String(row[key]), [...(groups.get(String(row[key])) ?? []), row]);
  return keys.map((k) => groups.get(k) ?? []);
}

function byId<T extends { id: string }>(keys: readonly string[], rows: T[]): (T | null)[] {
  const found = new Map(rows.map((r) => [r.id, r]));
  return keys.map((k) => found.get(k) ?? null);
}

/**
 * Per request. Every field a query plan asks of many events (seats, availability, ticket types,
 * layouts) costs one query for all of them, not one per event.
 */
export function createLoaders(store: TicketStore, options: { cache?: boolean } = {}): TicketLoaders {
  const { repos } = store;
  // Batching always; caching only for one request (a subscription's updates must read fresh rows).
  const cache = options.cache ?? true;
  const loader = <K, V>(batch: DataLoaderBatch<K, V>) => new DataLoader<K, V>(batch, { cache });
  return {
    seatsByEvent: loader(async (ids) => groupBy(ids, await repos.seats.listForEvents(ids), "eventId")),
    availabilityByEvent: loader(async (ids) => groupBy(ids, await repos.seats.availability(ids), "eventId")),
    ticketTypesByEvent: loader(async (ids) =>
      groupBy(ids, await repos.ticketTypes.listForEvents(ids), "eventId"),
    ),
    layoutByEvent: loader(async (ids) => {
      const layoutIds = await repos.layouts.layoutIdsForEvents(ids);
      const layouts = byId(
        [...new Set(layoutIds.values())],
        await repos.layouts.findByIds([...new Set(layoutIds.values())]),
      );
      const byLayout = new Map(layouts.filter((l) => l !== null).map((l) => [l.id, l]));
      return ids.map((id) => byLayout.get(layoutIds.get(id) ?? "") ?? null);
    }),
    seatById: loader(async (ids) => byId(ids, await repos.seats.findByIds(ids))),
    ticketTypeById: loader(async (ids) => byId(ids, await repos.ticketTypes.findByIds(ids))),
    reservationById: loader(async (ids) => byId(ids, await repos.reservations.findByIds(ids))),
    reservationsByUser: loader(async (ids) =>
      groupBy(ids, await repos.reservations.listForUsers(ids), "userId"),
    ),
    ticketsByUser: loader(async (ids) => groupBy(ids, await repos.tickets.listForUsers(ids), "userId")),
    ticketsByReservation: loader(async (ids) =>
      groupBy(ids, await repos.tickets.listForReservations(ids), "reservationId"),
    ),
    ticketById: loader(async (ids) => byId(ids, await repos.tickets.findByIds(ids))),
  };
}
