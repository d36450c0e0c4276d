import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyServiceToken } from "@urr/auth-tokens";
import type { MembershipOrderSnapshot, ReservationSnapshot } from "../../src/references/ticket-client.ts";

/**
 * Ticket's internal reservation API as payment sees it, for payment's own tests (the real one is
 * exercised by the purchase saga tests). It checks service tokens for real and can be switched off
 * to play an outage.
 */
export class FakeTicketApi {
  readonly reservations = new Map<string, ReservationSnapshot>();
  readonly membershipOrders = new Map<string, MembershipOrderSnapshot>();
  /** Answers sent as they are, whatever the contract says (a ticket that drifted from it). */
  readonly rawAnswers = new Map<string, unknown>();
  calls = 0;
  down = false;
  private server: Server | undefined;

  constructor(private readonly secret: string) {}

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      this.calls++;
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (this.down) return send(503, { error: "down" });
      try {
        await verifyServiceToken(
          (req.headers.authorization ?? "").replace(/^Bearer /, ""),
          this.secret,
          "ticket",
        );
      } catch {
        return send(401, { error: "service token required" });
      }
      const orderId = /^\/internal\/membership-orders\/([^/]+)$/.exec(req.url ?? "")?.[1];
      if (orderId) {
        const order = this.membershipOrders.get(orderId);
        return order ? send(200, order) : send(404, { error: "no such membership order" });
      }
      const id = /^\/internal\/reservations\/([^/]+)$/.exec(req.url ?? "")?.[1] ?? "";
      if (this.rawAnswers.has(id)) return send(200, this.rawAnswers.get(id));
      const reservation = this.reservations.get(id);
      return reservation ? send(200, reservation) : send(404, { error: "no such reservation" });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** An open fan-club membership order of `userId`. */
  addMembershipOrder(
    userId: string,
    amount = 30_000,
    overrides: Partial<MembershipOrderSnapshot> = {},
  ): string {
    const id = randomUUID();
    this.membershipOrders.set(id, {
      id,
      membershipId: randomUUID(),
      userId,
      artistId: randomUUID(),
      artistName: "Aurora Lane",
      purpose: "JOIN",
      status: "OPEN",
      amount,
      currency: "KRW",
      paymentId: null,
      ...overrides,
    });
    return id;
  }

  /** A pending, intact reservation of `userId`. */
  add(userId: string, totalAmount = 200_000, overrides: Partial<ReservationSnapshot> = {}): string {
    const id = randomUUID();
    this.reservations.set(id, {
      id,
      number: `URR-${id.slice(0, 4)}`,
      userId,
      eventId: randomUUID(),
      status: "PENDING",
      totalAmount,
      currency: "KRW",
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      paymentId: null,
      holdIntact: true,
      holdProblem: null,
      ...overrides,
    });
    return id;
  }
}
