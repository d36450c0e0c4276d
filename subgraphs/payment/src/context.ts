import type { BaseContext } from "@urr/subgraph-kit";
import DataLoader from "dataloader";
import type { PaymentService } from "./domain/payment.service.ts";
import type { Reconciler } from "./domain/reconciler.ts";
import type { PaymentLogRecord, PaymentRecord } from "./domain/records.ts";
import type { PaymentStore } from "./repositories/payment-store.ts";

export interface PaymentContext extends BaseContext {
  payments: PaymentService;
  reconciler: Reconciler;
  loaders: PaymentLoaders;
}

export interface PaymentLoaders {
  paymentById: DataLoader<string, PaymentRecord | null>;
  paymentsByUser: DataLoader<string, PaymentRecord[]>;
  latestByReservation: DataLoader<string, PaymentRecord | null>;
  logByPayment: DataLoader<string, PaymentLogRecord[]>;
}

/** Per request: a list of reservations asks for their payments in one query. */
export function createLoaders(store: PaymentStore): PaymentLoaders {
  const { repos } = store;
  return {
    paymentById: new DataLoader(async (ids) => {
      const rows = new Map((await repos.payments.findByIds(ids)).map((p) => [p.id, p]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    paymentsByUser: new DataLoader(async (ids) => {
      const rows = await repos.payments.listForUsers(ids);
      return ids.map((id) => rows.filter((p) => p.userId === id));
    }),
    latestByReservation: new DataLoader(async (ids) => {
      const rows = new Map(
        (await repos.payments.latestForReferences("RESERVATION", ids)).map((p) => [p.referenceId, p]),
      );
      return ids.map((id) => rows.get(id) ?? null);
    }),
    logByPayment: new DataLoader(async (ids) => {
      const rows = await repos.logs.listForPayments(ids);
      return ids.map((id) => rows.filter((l) => l.paymentId === id));
    }),
  };
}
