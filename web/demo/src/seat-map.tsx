import type { Client } from "graphql-ws";
import { useEffect, useMemo, useState } from "react";
import { GatewayError, run, subscribe } from "./gateway.ts";
import type { Reservation, SeatAvailabilityUpdate, SeatMapEvent, SeatStatus } from "./types.ts";

interface SeatMapProps {
  eventId: string;
  socket: Client | null;
  /** Set once the waiting room admitted the fan: seats can be picked and held. */
  entryToken: string | null;
  /** The fan's own hold: its seats are drawn as theirs. */
  held: Reservation | null;
  onHeld: (reservation: Reservation) => void;
}

/** One layout unit (the distance between neighbouring seats) in SVG pixels. */
const UNIT = 22;
const MARGIN = 1.5;

/**
 * The event's seats (`SeatMap`) drawn where the layout puts them, coloured by status and kept
 * live by `SeatAvailability`: every hold, release and sale anywhere recolours its seats here.
 * Once admitted, a click picks or unpicks an available seat, and "Hold" holds them all or none.
 */
export function SeatMap({ eventId, socket, entryToken, held, onHeld }: SeatMapProps) {
  const [event, setEvent] = useState<SeatMapEvent | null>(null);
  const [statuses, setStatuses] = useState<ReadonlyMap<string, SeatStatus>>(new Map());
  const [counts, setCounts] = useState<SeatAvailabilityUpdate["availability"] | null>(null);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);
  const [holding, setHolding] = useState(false);

  useEffect(() => {
    run<{ event: SeatMapEvent | null }>("SeatMap", { id: eventId }).then(
      ({ event: found }) => {
        if (!found) return setProblem("This event does not exist any more");
        setEvent(found);
        setCounts(found.availability);
        // Updates that arrived before the map keep their (newer) status.
        setStatuses((live) => new Map([...found.seats.map((s) => [s.id, s.status] as const), ...live]));
      },
      (error: Error) => setProblem(error.message),
    );
  }, [eventId]);

  useEffect(() => {
    if (!socket) return;
    return subscribe<{ seatAvailability: SeatAvailabilityUpdate }>(
      socket,
      "SeatAvailability",
      { eventId },
      ({ seatAvailability }) => {
        setCounts(seatAvailability.availability);
        if (seatAvailability.changes.length === 0) return;
        setStatuses((before) => {
          const after = new Map(before);
          for (const change of seatAvailability.changes) after.set(change.seatId, change.status);
          return after;
        });
      },
      (error) => setProblem(`Live updates stopped: ${error.message}`),
    );
  }, [socket, eventId]);

  const mine = useMemo(
    () => new Set(held?.items.flatMap((item) => (item.seat ? [item.seat.id] : [])) ?? []),
    [held],
  );

  if (problem && !event) return <p role="alert">{problem}</p>;
  if (!event) return <p>Loading the seat map…</p>;
  if (!event.seatLayout || event.seats.length === 0) return <p>This event sells general admission only.</p>;

  const xs = event.seats.map((s) => s.x);
  const ys = event.seats.map((s) => s.y);
  const [minX, minY] = [Math.min(...xs) - MARGIN, Math.min(...ys) - MARGIN - 1];
  const width = Math.max(...xs) - minX + MARGIN;
  const height = Math.max(...ys) - minY + MARGIN;
  const toggle = (seatId: string) =>
    setPicked((before) => {
      const after = new Set(before);
      if (!after.delete(seatId)) after.add(seatId);
      return after;
    });

  const hold = async () => {
    if (!entryToken) return;
    setHolding(true);
    setProblem(null);
    try {
      const { holdSeats } = await run<{ holdSeats: Reservation }>("HoldSeats", {
        eventId,
        seatIds: [...picked],
        idempotencyKey: crypto.randomUUID(),
        entryToken,
      });
      setPicked(new Set());
      onHeld(holdSeats);
    } catch (error) {
      setProblem(
        error instanceof GatewayError ? `${error.code ?? "ERROR"}: ${error.message}` : String(error),
      );
    } finally {
      setHolding(false);
    }
  };

  return (
    <section className="seat-map" aria-label="Seat map">
      <h2>{event.title}</h2>
      {counts && (
        <p className="counts" aria-live="polite">
          {counts.available} available · {counts.held} held · {counts.reserved} sold
        </p>
      )}
      <svg viewBox={`0 0 ${width * UNIT} ${height * UNIT}`}>
        <title>{event.seatLayout.name}</title>
        <text x={(width * UNIT) / 2} y={UNIT * 0.8} className="stage">
          STAGE
        </text>
        {event.seatLayout.sections.map((section) => (
          <text
            key={section.name}
            className="section-name"
            x={(section.x - minX - 1) * UNIT}
            y={(section.y - minY) * UNIT + 4}
          >
            {section.name}
          </text>
        ))}
        {event.seats.map((seat) => {
          const status = statuses.get(seat.id) ?? seat.status;
          const shown =
            mine.has(seat.id) && status !== "RESERVED" ? "MINE" : picked.has(seat.id) ? "PICKED" : status;
          const pickable = Boolean(entryToken) && status === "AVAILABLE";
          return (
            // biome-ignore lint/a11y/useSemanticElements: an SVG shape cannot be a <button>; role, tab stop and keys make it one
            <circle
              key={seat.id}
              cx={(seat.x - minX) * UNIT}
              cy={(seat.y - minY) * UNIT}
              r={UNIT * 0.38}
              className={`seat seat-${shown.toLowerCase()}${pickable ? " pickable" : ""}`}
              data-seat={seat.label}
              data-status={status}
              role="button"
              tabIndex={pickable ? 0 : -1}
              aria-disabled={!pickable}
              aria-label={`${seat.label}, ${seat.priceTier} ${seat.price.toLocaleString()} KRW, ${shown.toLowerCase()}`}
              onClick={pickable ? () => toggle(seat.id) : undefined}
              onKeyDown={(key) => {
                if (!pickable || (key.key !== "Enter" && key.key !== " ")) return;
                key.preventDefault(); // Space would scroll the page
                toggle(seat.id);
              }}
            >
              <title>{`${seat.label} · ${seat.priceTier} · ${seat.price.toLocaleString()} KRW`}</title>
            </circle>
          );
        })}
      </svg>
      <Legend />
      {entryToken && (
        <button type="button" disabled={picked.size === 0 || holding} onClick={hold}>
          Hold {picked.size || ""} seat{picked.size === 1 ? "" : "s"}
        </button>
      )}
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}

function Legend() {
  const entries = [
    ["available", "available"],
    ["picked", "picked"],
    ["held", "held by someone"],
    ["mine", "held by you"],
    ["reserved", "sold"],
  ] as const;
  return (
    <ul className="legend">
      {entries.map(([kind, text]) => (
        <li key={kind}>
          <svg viewBox="0 0 10 10" aria-hidden="true">
            <circle cx="5" cy="5" r="4" className={`seat seat-${kind}`} />
          </svg>
          {text}
        </li>
      ))}
    </ul>
  );
}
