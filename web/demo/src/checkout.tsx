import type { Client } from "graphql-ws";
import { useEffect, useState } from "react";
import { GatewayError, run, subscribe } from "./gateway.ts";
import type { Reservation, ReservationUpdate, Ticket } from "./types.ts";

interface Payment {
  orderId: string;
  amount: number;
}

/**
 * The held seats and their price, paid with the simulated provider: `PreparePayment` opens the
 * payment, the page stands in for the provider's checkout (it makes up the paymentKey the provider
 * would return) and `ConfirmPayment` confirms it. `ReservationUpdates` brings the tickets once the
 * ticket subgraph has confirmed the seats.
 */
export function Checkout({ reservation, socket }: { reservation: Reservation; socket: Client | null }) {
  const [update, setUpdate] = useState<ReservationUpdate | null>(null);
  const [paying, setPaying] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!socket) return;
    return subscribe<{ reservationUpdates: ReservationUpdate }>(
      socket,
      "ReservationUpdates",
      { id: reservation.id },
      ({ reservationUpdates }) => setUpdate(reservationUpdates),
      (error) => setProblem(`Live reservation updates stopped: ${error.message}`),
    );
  }, [socket, reservation.id]);

  const pay = async () => {
    setPaying(true);
    setProblem(null);
    try {
      const { preparePayment } = await run<{ preparePayment: Payment }>("PreparePayment", {
        reservationId: reservation.id,
      });
      const { confirmPayment } = await run<{
        confirmPayment: { outcome: string; failure: { message: string } | null };
      }>("ConfirmPayment", {
        orderId: preparePayment.orderId,
        paymentKey: `demo_${crypto.randomUUID()}`,
        amount: preparePayment.amount,
      });
      setOutcome(
        confirmPayment.failure
          ? `${confirmPayment.outcome}: ${confirmPayment.failure.message}`
          : confirmPayment.outcome,
      );
    } catch (error) {
      setProblem(
        error instanceof GatewayError ? `${error.code ?? "ERROR"}: ${error.message}` : String(error),
      );
    } finally {
      setPaying(false);
    }
  };

  const status = update?.status ?? reservation.status;
  const seats = reservation.items.map((item) => item.seat?.label).filter(Boolean);
  return (
    <section className="checkout" aria-label="Checkout">
      <h2>Reservation {reservation.number}</h2>
      <p>
        {seats.join(", ")} · {reservation.totalAmount.toLocaleString()} {reservation.currency}
      </p>
      <p className="reservation-status" data-status={status}>
        {status === "PENDING" && reservation.expiresAt
          ? `Held for you until ${new Date(reservation.expiresAt).toLocaleTimeString()}`
          : `Status: ${status.toLowerCase()}${update?.endReason ? ` (${update.endReason})` : ""}`}
      </p>
      {status === "PENDING" && !outcome && (
        <button type="button" onClick={pay} disabled={paying}>
          Pay {reservation.totalAmount.toLocaleString()} {reservation.currency} (simulated provider)
        </button>
      )}
      {outcome && status === "PENDING" && <p>Payment {outcome.toLowerCase()}; issuing the tickets…</p>}
      {update && update.tickets.length > 0 && <Tickets tickets={update.tickets} />}
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}

/** Each ticket with its signed code (an Ed25519 JWT a door scanner verifies offline). */
function Tickets({ tickets }: { tickets: Ticket[] }) {
  return (
    <ol className="tickets" aria-label="Tickets">
      {tickets.map((ticket) => (
        <li key={ticket.id} className="ticket">
          <strong>{ticket.label}</strong> <span>{ticket.status.toLowerCase()}</span>
          <code>{ticket.code}</code>
        </li>
      ))}
    </ol>
  );
}
