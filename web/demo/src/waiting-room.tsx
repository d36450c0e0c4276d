import type { Client } from "graphql-ws";
import { useEffect, useState } from "react";
import { GatewayError, run, subscribe } from "./gateway.ts";
import type { QueueTicket } from "./types.ts";

interface WaitingRoomProps {
  eventId: string;
  socket: Client | null;
  onAdmitted: (entryToken: string) => void;
}

/**
 * The event's waiting room: `JoinQueue`, then `QueuePosition` pushes the fan's place on every
 * admission round until ACTIVE with the entry token that holds seats.
 */
export function WaitingRoom({ eventId, socket, onAdmitted }: WaitingRoomProps) {
  const [joined, setJoined] = useState(false);
  const [ticket, setTicket] = useState<QueueTicket | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!joined || !socket) return;
    return subscribe<{ queuePosition: QueueTicket }>(
      socket,
      "QueuePosition",
      { eventId },
      ({ queuePosition }) => {
        setTicket(queuePosition);
        if (queuePosition.state === "ACTIVE" && queuePosition.entryToken)
          onAdmitted(queuePosition.entryToken);
      },
      (error) => setProblem(`Live queue updates stopped: ${error.message}`),
    );
  }, [joined, socket, eventId, onAdmitted]);

  const join = async () => {
    setProblem(null);
    try {
      const { joinQueue } = await run<{ joinQueue: QueueTicket }>("JoinQueue", { eventId });
      setTicket(joinQueue);
      if (joinQueue.state === "ACTIVE" && joinQueue.entryToken) onAdmitted(joinQueue.entryToken);
      setJoined(true);
    } catch (error) {
      setProblem(
        error instanceof GatewayError ? `${error.code ?? "ERROR"}: ${error.message}` : String(error),
      );
    }
  };

  return (
    <section className="waiting-room" aria-label="Waiting room">
      <h2>Waiting room</h2>
      {!joined && (
        <button type="button" onClick={join}>
          Join the waiting room
        </button>
      )}
      {ticket && <QueueView ticket={ticket} />}
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}

function QueueView({ ticket }: { ticket: QueueTicket }) {
  if (ticket.state === "ACTIVE") {
    const until = ticket.entryTokenExpiresAt ? new Date(ticket.entryTokenExpiresAt).toLocaleTimeString() : "";
    return (
      <p className="queue-state" data-state="ACTIVE">
        You are in: pick seats on the map{until && ` (your entry lasts until ${until})`}.
      </p>
    );
  }
  if (ticket.state === "QUEUED") {
    return (
      <p className="queue-state" data-state="QUEUED">
        In line: position <strong className="position">{ticket.position}</strong> of {ticket.queueSize}
        {ticket.estimatedWaitSeconds != null && `, about ${ticket.estimatedWaitSeconds} s to go`}.
      </p>
    );
  }
  return (
    <p className="queue-state" data-state={ticket.state}>
      Not in line (the place timed out or was given up).
    </p>
  );
}
