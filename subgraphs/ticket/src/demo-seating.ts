import type { Logger } from "@urr/logger";
import type { LayoutDefinition } from "./domain/records.ts";
import { seatsFromLayout } from "./domain/seat-layout.ts";
import type { TicketStore } from "./repositories/ticket-store.ts";

/** A small hall for the embedded demo: two seated sections and a standing area. */
const DEMO_LAYOUT: LayoutDefinition = {
  priceTiers: [
    { name: "VIP", price: 154_000 },
    { name: "R", price: 132_000 },
  ],
  sections: [
    {
      name: "A",
      priceTier: "VIP",
      x: 0,
      y: 0,
      rows: Array.from({ length: 4 }, (_, i) => ({ label: String(i + 1), seats: 16 })),
    },
    {
      name: "B",
      priceTier: "R",
      x: 0,
      y: 6,
      rows: Array.from({ length: 6 }, (_, i) => ({ label: String(i + 1), seats: 20 })),
    },
  ],
};

/**
 * Embedded `npm start` only: every event ticket learns of from catalog-events gets the demo hall's
 * seats and a standing ticket type, so a newcomer can hold seats straight away.
 */
export async function seatDemoEvent(store: TicketStore, eventId: string, logger: Logger): Promise<void> {
  await store.transaction(async (repos) => {
    if ((await repos.seats.countForEvent(eventId)) > 0) return;
    const layouts = await repos.layouts.list();
    const layout =
      layouts.find((l) => l.name === "Demo Hall") ??
      (await repos.layouts.create({ name: "Demo Hall", description: "Demo venue", definition: DEMO_LAYOUT }));
    await repos.layouts.recordSeating(eventId, layout.id);
    await repos.seats.createMany(seatsFromLayout(eventId, layout.definition));
    await repos.ticketTypes.create({ eventId, name: "Standing", price: 99_000, totalQuantity: 300 });
  });
  logger.info({ eventId }, "demo seating generated");
}
