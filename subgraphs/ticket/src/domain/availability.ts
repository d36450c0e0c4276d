import type { AvailabilityRow } from "../repositories/seat.repository.ts";
import type { TicketTypeRecord } from "./records.ts";

export interface SectionCounts {
  section: string;
  available: number;
  held: number;
  reserved: number;
}

export interface AvailabilitySummary {
  totalSeats: number;
  available: number;
  held: number;
  reserved: number;
  sections: SectionCounts[];
  ticketsAvailable: number;
}

/** Folds grouped counts (one event's rows) into the summary clients show. */
export function summarize(rows: AvailabilityRow[], ticketTypes: TicketTypeRecord[]): AvailabilitySummary {
  const sections = new Map<string, SectionCounts>();
  for (const row of rows) {
    const counts = sections.get(row.section) ?? { section: row.section, available: 0, held: 0, reserved: 0 };
    if (row.status === "AVAILABLE") counts.available += row.count;
    else if (row.status === "HELD") counts.held += row.count;
    else counts.reserved += row.count;
    sections.set(row.section, counts);
  }
  const list = [...sections.values()].sort((a, b) => a.section.localeCompare(b.section));
  const sum = (key: "available" | "held" | "reserved") => list.reduce((n, s) => n + s[key], 0);
  return {
    totalSeats: sum("available") + sum("held") + sum("reserved"),
    available: sum("available"),
    held: sum("held"),
    reserved: sum("reserved"),
    sections: list,
    ticketsAvailable: ticketTypes.reduce((n, t) => n + t.availableQuantity, 0),
  };
}
