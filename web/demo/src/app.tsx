import type { Client } from "graphql-ws";
import { useEffect, useState } from "react";
import { Checkout } from "./checkout.tsx";
import { EventPicker } from "./event-picker.tsx";
import { openSocket } from "./gateway.ts";
import { SeatMap } from "./seat-map.tsx";
import { SignIn } from "./sign-in.tsx";
import type { Reservation, Viewer } from "./types.ts";
import { WaitingRoom } from "./waiting-room.tsx";

/**
 * The on-sale, step by step as a fan lives it: pick an event (its seat map is live from the
 * start), sign in, join the waiting room, pick seats once admitted and hold them with the entry
 * token, pay with the simulated provider, and see the tickets.
 */
export function App() {
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [eventId, setEventId] = useState<string | null>(null);
  const [entryToken, setEntryToken] = useState<string | null>(null);
  const [reservation, setReservation] = useState<Reservation | null>(null);
  const socket = useSocket(viewer?.id ?? "anonymous");

  const pickEvent = (id: string) => {
    setEventId(id);
    setEntryToken(null);
    setReservation(null);
  };

  return (
    <main>
      <header>
        <h1>URR live on-sale demo</h1>
        <SignIn viewer={viewer} onSignedIn={setViewer} />
      </header>
      <EventPicker selected={eventId} onPick={pickEvent} />
      {eventId && (
        <div className="sale">
          <SeatMap
            key={eventId}
            eventId={eventId}
            socket={socket}
            entryToken={reservation ? null : entryToken}
            held={reservation}
            onHeld={setReservation}
          />
          <aside>
            {viewer ? (
              <WaitingRoom
                key={`${eventId}:${viewer.id}`}
                eventId={eventId}
                socket={socket}
                onAdmitted={setEntryToken}
              />
            ) : (
              <p className="hint">Sign in to join the waiting room and hold seats.</p>
            )}
            {reservation && <Checkout key={reservation.id} reservation={reservation} socket={socket} />}
          </aside>
        </div>
      )}
    </main>
  );
}

/**
 * One graphql-ws connection per identity: the gateway identifies a connection when it opens, so
 * signing in replaces it (the live views subscribe again on the new one).
 */
function useSocket(identity: string): Client | null {
  const [socket, setSocket] = useState<Client | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new identity needs a new connection
  useEffect(() => {
    const fresh = openSocket();
    setSocket(fresh);
    return () => {
      void fresh.dispose();
    };
  }, [identity]);
  return socket;
}
