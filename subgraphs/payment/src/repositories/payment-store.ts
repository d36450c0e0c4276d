import { type AdminAction, recordAdminAction } from "@urr/audit";
import type { AuthenticatedViewer } from "@urr/auth-tokens";
import { appendToOutbox, type EventContract, type EventEnvelope, markProcessed } from "@urr/events";
import { PaymentRepository } from "./payment.repository.ts";
import { PaymentLogRepository } from "./payment-log.repository.ts";
import type { Db, PrismaClient } from "./prisma.ts";

export interface PaymentRepositories {
  payments: PaymentRepository;
  logs: PaymentLogRepository;
  /** Records a domain event in the same transaction as the change it describes (outbox). */
  publish(contract: Pick<EventContract<string, never>, "topic">, event: EventEnvelope): Promise<void>;
  /** Records an admin action (audit-events) in the same transaction as the change it describes. */
  audit(admin: AuthenticatedViewer, change: AdminAction): Promise<void>;
  /** False when this consumed event was applied before. */
  markProcessed(event: EventEnvelope): Promise<boolean>;
}

function repositories(db: Db): PaymentRepositories {
  return {
    payments: new PaymentRepository(db),
    logs: new PaymentLogRepository(db),
    publish: (contract, event) => appendToOutbox(db, contract, event),
    audit: async (admin, change) => {
      await recordAdminAction(db, "payment", admin, change);
    },
    markProcessed: (event) => markProcessed(db, event.id, event.type),
  };
}

export class PaymentStore {
  readonly repos: PaymentRepositories;

  constructor(private readonly prisma: PrismaClient) {
    this.repos = repositories(prisma);
  }

  transaction<T>(work: (repos: PaymentRepositories) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(repositories(tx)), { timeout: 15_000, maxWait: 10_000 });
  }
}
