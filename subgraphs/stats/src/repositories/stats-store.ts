import { type EventEnvelope, markProcessed } from "@urr/events";
import { AudienceFacts } from "../projection/audience-facts.ts";
import { Journal } from "../projection/journal.ts";
import { MoneyFacts } from "../projection/money-facts.ts";
import { ReservationFacts } from "../projection/reservation-facts.ts";
import type { Db, PrismaClient } from "./prisma.ts";

export interface StatsRepositories {
  db: Db;
  reservations: ReservationFacts;
  money: MoneyFacts;
  audience: AudienceFacts;
  journal: Journal;
  /** False when this consumed event was applied before (see @urr/events markProcessed). */
  markProcessed(event: EventEnvelope): Promise<boolean>;
  /** Empties the projection (facts and processed ids), keeping the journal it is rebuilt from. */
  resetProjection(): Promise<void>;
}

function repositories(db: Db): StatsRepositories {
  return {
    db,
    reservations: new ReservationFacts(db),
    money: new MoneyFacts(db),
    audience: new AudienceFacts(db),
    journal: new Journal(db),
    markProcessed: (event) => markProcessed(db, event.id, event.type),
    resetProjection: async () => {
      await db.$executeRaw`
        TRUNCATE processed_events, stats_reservation_lines, stats_reservations, stats_confirmation_rejections,
                 stats_payments, stats_transfers, stats_memberships, stats_membership_renewals, stats_admissions`;
    },
  };
}

export class StatsStore {
  /** Outside a transaction: the dashboards' reads. */
  readonly repos: StatsRepositories;

  constructor(private readonly prisma: PrismaClient) {
    this.repos = repositories(prisma);
  }

  transaction<T>(
    work: (repos: StatsRepositories) => Promise<T>,
    options: { timeout?: number } = {},
  ): Promise<T> {
    return this.prisma.$transaction((tx) => work(repositories(tx)), {
      timeout: options.timeout ?? 15_000,
      maxWait: 10_000,
    });
  }
}
