import { DateTimeScalar, JSONScalar, requireAdmin, requireViewer } from "@urr/subgraph-kit";
import { PaymentService } from "../domain/payment.service.ts";
import type { PaymentRecord } from "../domain/records.ts";
import type { Resolvers } from "../generated/graphql.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Query: {
    myPayments: (_p, _a, ctx) => ctx.loaders.paymentsByUser.load(requireViewer(ctx.viewer).userId),
    payment: (_p, { orderId }, ctx) => ctx.payments.byOrderId(ctx.viewer, orderId),
  },
  Mutation: {
    preparePayment: (_p, { kind, referenceId }, ctx) => ctx.payments.prepare(ctx.viewer, kind, referenceId),
    confirmPayment: (_p, { orderId, paymentKey, amount }, ctx) =>
      ctx.payments.confirm(ctx.viewer, { orderId, paymentKey, amount }),
    processPayment: (_p, { kind, referenceId, method }, ctx) =>
      ctx.payments.process(ctx.viewer, kind, referenceId, method),
    cancelPayment: (_p, { paymentKey, reason }, ctx) => ctx.payments.cancel(ctx.viewer, paymentKey, reason),
    reconcilePayments: (_p, _a, ctx) => ctx.reconciler.runAsAdmin(ctx.viewer),
  },
  Payment: {
    __resolveReference: async (reference, ctx) =>
      PaymentService.visibleTo(ctx.viewer, await ctx.loaders.paymentById.load(reference.id)),
    reservation: (payment) => (payment.kind === "RESERVATION" ? { id: payment.referenceId } : null),
    failure: (payment: PaymentRecord) =>
      payment.status === "FAILED"
        ? { code: payment.failureCode ?? "DECLINED", message: payment.failureMessage ?? "Declined" }
        : null,
    log: async (payment, _a, ctx) => {
      requireAdmin(ctx.viewer);
      const entries = await ctx.loaders.logByPayment.load(payment.id);
      return entries.map((entry) => ({ ...entry, request: entry.request ?? {}, at: entry.createdAt }));
    },
  },
  Reservation: {
    __resolveReference: (reference) => ({ id: reference.id }),
    payment: async (reservation, _a, ctx) =>
      PaymentService.visibleTo(ctx.viewer, await ctx.loaders.latestByReservation.load(reservation.id)),
  },
};
