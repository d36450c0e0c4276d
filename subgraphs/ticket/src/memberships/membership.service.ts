import { randomUUID } from "node:crypto";
import type { Viewer } from "@urr/auth-tokens";
import type { MembershipOrderSnapshot } from "@urr/contracts";
import { ForbiddenError, NotFoundError } from "@urr/errors";
import {
  checkId,
  decodeCursor,
  encodeCursor,
  type Page,
  pageSize,
  requireAdmin,
  requireViewer,
  toPage,
} from "@urr/subgraph-kit";
import type { TicketStore } from "../repositories/ticket-store.ts";
import type { MembershipRecord, MembershipStatus } from "./records.ts";

/** Whether a membership's next payment joins or renews (what its open order is for). */
export const orderPurpose = (membership: Pick<MembershipRecord, "status">) =>
  membership.status === "PENDING" ? ("JOIN" as const) : ("RENEWAL" as const);

export const memberCursor = (m: MembershipRecord) => encodeCursor([m.createdAt.toISOString(), m.id]);

/**
 * What fans and admins do with fan-club memberships. Paying is payment's: a membership's open
 * order is the reference of `preparePayment(kind: MEMBERSHIP)`, and the confirmed payment reaches
 * ticket as `payment.confirmed` (membership-payments.ts).
 */
export class MembershipService {
  constructor(private readonly deps: { store: TicketStore }) {}

  /**
   * Joins the artist's fan club (a PENDING membership, once per user and artist) or, for a
   * membership that already exists, gets it ready to renew: either way the membership has one open
   * order to pay. Calling again returns the same membership and order; concurrent calls too (the
   * unique indexes decide).
   */
  async join(viewer: Viewer, artistIdInput: string): Promise<MembershipRecord> {
    const user = requireViewer(viewer);
    const artistId = checkId(artistIdInput, "artistId");
    const { store } = this.deps;
    if (!(await store.repos.artists.find(artistId))) throw new NotFoundError("Artist", artistId);
    return store.transaction(async (repos) => {
      await repos.memberships.createPending(randomUUID(), user.userId, artistId);
      const membership = await repos.memberships.find(user.userId, artistId);
      if (!membership) throw new Error("membership vanished after it was created");
      await repos.membershipOrders.open(randomUUID(), membership.id);
      return membership;
    });
  }

  /** An artist's members, newest first, a page at a time. Admins only. */
  async members(
    viewer: Viewer,
    artistIdInput: string,
    status: MembershipStatus | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<MembershipRecord>> {
    requireAdmin(viewer);
    const artistId = checkId(artistIdInput, "artistId");
    const size = pageSize(first, 20);
    const position = decodeCursor(after, ["instant", "id"]);
    const rows = await this.deps.store.repos.memberships.listForArtist({
      artistId,
      ...(status ? { status } : {}),
      ...(position ? { after: { createdAt: new Date(position[0] ?? ""), id: position[1] ?? "" } } : {}),
      limit: size + 1,
    });
    return toPage(rows, size);
  }

  /** The internal route's answer for payment: null when ticket has no such order. */
  async orderSnapshot(orderId: string): Promise<MembershipOrderSnapshot | null> {
    const { repos } = this.deps.store;
    const order = await repos.membershipOrders.findById(orderId);
    const membership = order ? await repos.memberships.findById(order.membershipId) : null;
    const artist = membership ? await repos.artists.find(membership.artistId) : null;
    if (!order || !membership || !artist) return null;
    return {
      id: order.id,
      membershipId: membership.id,
      userId: membership.userId,
      artistId: artist.artistId,
      artistName: artist.name,
      purpose: orderPurpose(membership),
      status: order.status,
      amount: artist.membershipPrice,
      currency: "KRW",
      paymentId: order.paymentId,
    };
  }

  /** A membership is its holder's and admins' to see; anyone else gets FORBIDDEN. */
  static assertVisible<T extends Pick<MembershipRecord, "userId">>(viewer: Viewer, membership: T): T {
    if (!viewer.authenticated || (viewer.userId !== membership.userId && viewer.role !== "ADMIN")) {
      throw new ForbiddenError("This membership belongs to someone else", "NOT_OWNER");
    }
    return membership;
  }
}
