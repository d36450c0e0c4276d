import { useEffect, useState } from "react";
import { run } from "./gateway.ts";
import type { EventCard } from "./types.ts";

/** The events on the catalog's first page (`BrowseEvents`), as buttons; the picked one is pressed. */
export function EventPicker({ selected, onPick }: { selected: string | null; onPick: (id: string) => void }) {
  const [events, setEvents] = useState<EventCard[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    run<{ events: { edges: { node: EventCard }[] } }>("BrowseEvents", { first: 20 }).then(
      (data) => setEvents(data.events.edges.map((edge) => edge.node)),
      (error: Error) => setProblem(error.message),
    );
  }, []);

  if (problem) return <p role="alert">Events could not be loaded: {problem}</p>;
  if (!events) return <p>Loading events…</p>;
  return (
    <nav className="events" aria-label="Events">
      {events.map((event) => (
        <button
          type="button"
          key={event.id}
          aria-pressed={event.id === selected}
          onClick={() => onPick(event.id)}
        >
          <strong>{event.title}</strong>
          <span>
            {event.artist.name} · {event.venue} · {new Date(event.startsAt).toLocaleDateString()}
          </span>
          <span className={`status status-${event.status}`}>
            {event.status.replaceAll("_", " ").toLowerCase()} · {event.availability.available} of{" "}
            {event.availability.totalSeats} seats free
          </span>
        </button>
      ))}
    </nav>
  );
}
