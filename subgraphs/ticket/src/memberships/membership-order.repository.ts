import type { Db } from "../repositories/prisma.ts";
import type { MembershipOrderRecord } from "./records.ts";

const FIELDS = {
  id: true,
  membershipId: true,
  status: true,
  paymentId: true,
  amountPaid: true,
  paidAt: true,
  createdAt: true,
} as const;

/** Membership orders: the payable steps (join, each renewal) a MEMBERSHIP payment refers to. */
export class MembershipOrderRepository {
  constructor(private readonly db: Db) {}

  findById(id: string): Promise<MembershipOrderRecord | null> {
    return this.db.membershipOrder.findUnique({ where: { id }, select: FIELDS });
  }

  /** The open order of each membership (at most one each, by partial unique index). */
  openFor(membershipIds: readonly string[]): Promise<MembershipOrderRecord[]> {
    return this.db.membershipOrder.findMany({
      where: { membershipId: { in: [...membershipIds] }, status: "OPEN" },
      select: FIELDS,
    });
  }

  /** Opens an order unless the membership has one open already; returns the open one. */
  async open(id: string, membershipId: string): Promise<MembershipOrderRecord> {
    await this.db.$executeRaw`
      INSERT INTO membership_orders (id, membership_id, status, created_at)
      VALUES (${id}::uuid, ${membershipId}::uuid, 'OPEN', now())
      ON CONFLICT DO NOTHING`;
    const [open] = await this.openFor([membershipId]);
    if (!open) throw new Error(`membership ${membershipId} has no open order after opening one`);
    return open;
  }

  async lock(id: string): Promise<MembershipOrderRecord | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM membership_orders WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length ? this.findById(id) : null;
  }

  async markPaid(id: string, paymentId: string, amount: number, at: Date): Promise<void> {
    await this.db.membershipOrder.update({
      where: { id },
      data: { status: "PAID", paymentId, amountPaid: amount, paidAt: at },
    });
  }
}
