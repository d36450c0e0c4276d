import { type AdminAction, recordAdminAction } from "@urr/audit";
import type { AuthenticatedViewer } from "@urr/auth-tokens";
import { appendToOutbox, type EventContract, type EventEnvelope, markProcessed } from "@urr/events";
import { SeatChangeLog, type SeatChangeSink } from "../live/seat-change-log.ts";
import { MembershipRepository } from "../memberships/membership.repository.ts";
import { MembershipOrderRepository } from "../memberships/membership-order.repository.ts";
import { TransferRepository } from "../transfers/transfer.repository.ts";
import { CatalogArtistRepository } from "./catalog-artist.repository.ts";
import type { Db, PrismaClient } from "./prisma.ts";
import { ReservationRepository } from "./reservation.repository.ts";
import { SaleEventRepository } from "./sale-event.repository.ts";
import { SeatRepository } from "./seat.repository.ts";
import { SeatLayoutRepository } from "./seat-layout.repository.ts";
import { TicketRepository } from "./ticket.repository.ts";
import { TicketTypeRepository } from "./ticket-type.repository.ts";

export interface TicketRepositories {
  saleEvents: SaleEventRepository;
  seats: SeatRepository;
  ticketTypes: TicketTypeRepository;
  reservations: ReservationRepository;
  layouts: SeatLayoutRepository;
  tickets: TicketRepository;
  /** Ticket's copy of catalog artists (fan-club prices). */
  artists: CatalogArtistRepository;
  memberships: MembershipRepository;
  membershipOrders: MembershipOrderRepository;
  /** The transfer marketplace: listings, sellers' payouts, revoked ticket codes. */
  transfers: TransferRepository;
  /** False when this consumed event was applied before (exactly-once apply, same transaction). */
  markProcessed(event: EventEnvelope): Promise<boolean>;
  /** Records a domain event in the same transaction as the change it describes (outbox). */
  publish(contract: Pick<EventContract<string, never>, "topic">, event: EventEnvelope): Promise<void>;
  /** Records an admin action (audit-events) in the same transaction as the change it describes. */
  audit(admin: AuthenticatedViewer, change: AdminAction): Promise<void>;
  /** Serialises one user's purchases for one event (limit checks cannot race). */
  lockBuyer(userId: string, eventId: string): Promise<void>;
  /**
   * The event's sale lock, shared: taken first by everything that creates a pending hold
   * (`urr_hold_seats` takes the same lock in SQL, general admission calls this), so a closing
   * event waits for the holds in flight and any later one waits for the closure, then sees it.
   */
  enterSale(eventId: string): Promise<void>;
  /** The event's sale lock, exclusive: taken first by a closure (see event-closure.ts). */
  closeSale(eventId: string): Promise<void>;
}

function repositories(db: Db, changes: SeatChangeLog): TicketRepositories {
  return {
    saleEvents: new SaleEventRepository(db),
    seats: new SeatRepository(db, changes),
    ticketTypes: new TicketTypeRepository(db, changes),
    reservations: new ReservationRepository(db, changes),
    layouts: new SeatLayoutRepository(db),
    tickets: new TicketRepository(db),
    artists: new CatalogArtistRepository(db),
    memberships: new MembershipRepository(db),
    membershipOrders: new MembershipOrderRepository(db),
    transfers: new TransferRepository(db),
    markProcessed: (event) => markProcessed(db, event.id, event.type),
    publish: (contract, event) => appendToOutbox(db, contract, event),
    audit: async (admin, change) => {
      await recordAdminAction(db, "ticket", admin, change);
    },
    lockBuyer: async (userId, eventId) => {
      await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${userId}|${eventId}`}, 0))`;
    },
    // The key is spelt as urr_hold_seats spells it: 'sale|' and the event id as PostgreSQL prints a uuid.
    enterSale: async (eventId) => {
      await db.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended('sale|' || ${eventId}::uuid::text, 0))`;
    },
    closeSale: async (eventId) => {
      await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('sale|' || ${eventId}::uuid::text, 0))`;
    },
  };
}

export class TicketStore {
  /** Outside a transaction: reads, and the few single-statement writes (not published live). */
  readonly repos: TicketRepositories;
  private sink: SeatChangeSink | undefined;

  constructor(private readonly prisma: PrismaClient) {
    this.repos = repositories(prisma, new SeatChangeLog());
  }

  /** Where committed seat and stock changes go (the live seat feed). */
  publishChangesTo(sink: SeatChangeSink): void {
    this.sink = sink;
  }

  /**
   * Work that is one statement (its own transaction): its seat changes are published once it
   * returns, like a transaction's after commit.
   */
  async statement<T>(work: (repos: TicketRepositories) => Promise<T>): Promise<T> {
    const changes = new SeatChangeLog();
    const result = await work(repositories(this.prisma, changes));
    if (!changes.empty) this.sink?.committed(changes);
    return result;
  }

  async transaction<T>(work: (repos: TicketRepositories) => Promise<T>): Promise<T> {
    const changes = new SeatChangeLog();
    const result = await this.prisma.$transaction((tx) => work(repositories(tx, changes)), {
      timeout: 15_000,
      maxWait: 10_000,
    });
    if (!changes.empty) this.sink?.committed(changes);
    return result;
  }
}
