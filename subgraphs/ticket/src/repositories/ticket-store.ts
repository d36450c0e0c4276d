import type { Db, PrismaClient } from "./prisma.ts";
import { ProcessedEventRepository } from "./processed-event.repository.ts";
import { ReservationRepository } from "./reservation.repository.ts";
import { SaleEventRepository } from "./sale-event.repository.ts";
import { SeatRepository } from "./seat.repository.ts";
import { SeatLayoutRepository } from "./seat-layout.repository.ts";
import { TicketTypeRepository } from "./ticket-type.repository.ts";

export interface TicketRepositories {
  saleEvents: SaleEventRepository;
  seats: SeatRepository;
  ticketTypes: TicketTypeRepository;
  reservations: ReservationRepository;
  layouts: SeatLayoutRepository;
  processed: ProcessedEventRepository;
  /** Serialises one user's purchases for one event (limit checks cannot race). */
  lockBuyer(userId: string, eventId: string): Promise<void>;
}

function repositories(db: Db): TicketRepositories {
  return {
    saleEvents: new SaleEventRepository(db),
    seats: new SeatRepository(db),
    ticketTypes: new TicketTypeRepository(db),
    reservations: new ReservationRepository(db),
    layouts: new SeatLayoutRepository(db),
    processed: new ProcessedEventRepository(db),
    lockBuyer: async (userId, eventId) => {
      await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${userId}|${eventId}`}, 0))`;
    },
  };
}

export class TicketStore {
  readonly repos: TicketRepositories;

  constructor(private readonly prisma: PrismaClient) {
    this.repos = repositories(prisma);
  }

  transaction<T>(work: (repos: TicketRepositories) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(repositories(tx)), { timeout: 15_000, maxWait: 10_000 });
  }
}
