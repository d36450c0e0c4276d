import { ArtistUpserted, EventUpserted } from "@urr/events";
import type { Logger } from "@urr/logger";
import { artistUpserted, eventUpserted } from "./domain/catalog-events.ts";
import type { CatalogStore } from "./repositories/catalog-store.ts";

/**
 * Artists and events for trying the embedded supergraph, with sale windows relative to today so
 * every status is represented. Written only into an empty catalog, never in production configuration.
 */
export async function seedDemoCatalog(store: CatalogStore, logger: Logger): Promise<void> {
  const existing = await store.repos.artists.list({ limit: 100 });
  if (existing.length > 0) {
    // A data directory seeded before ticket kept artists' fan-club prices: announce them again
    // (same revisions, so a ticket that has them ignores the repeat).
    await store.transaction(async (repos) => {
      for (const artist of existing) await repos.publish(ArtistUpserted, artistUpserted(artist));
    });
    return;
  }
  const day = 24 * 60 * 60 * 1000;
  const at = (days: number, hour = 11) => {
    const d = new Date(Date.now() + days * day);
    d.setUTCHours(hour, 0, 0, 0);
    return d;
  };
  await store.transaction(async (repos) => {
    const aurora = await repos.artists.create({
      name: "Aurora Lane",
      description: "Synth-pop quartet from Seoul.",
      genre: "K-pop",
      imageUrl: null,
      membershipPrice: 33_000,
    });
    const tide = await repos.artists.create({
      name: "Blue Tide",
      description: "Indie rock trio.",
      genre: "Rock",
      imageUrl: null,
      membershipPrice: 25_000,
    });
    // Ticket quotes fan-club memberships from its copy of each artist.
    for (const artist of [aurora, tide]) await repos.publish(ArtistUpserted, artistUpserted(artist));
    const events = [
      {
        artistId: aurora.id,
        title: "Aurora Lane — World Tour Seoul",
        venue: "KSPO Dome",
        address: "424 Olympic-ro, Songpa-gu, Seoul",
        startsAt: at(30, 10),
        saleStartsAt: at(-1),
        saleEndsAt: at(29),
      },
      {
        artistId: aurora.id,
        title: "Aurora Lane — Fan Meeting",
        venue: "Blue Square",
        address: "294 Itaewon-ro, Yongsan-gu, Seoul",
        startsAt: at(60, 9),
        saleStartsAt: at(7),
        saleEndsAt: at(59),
      },
      {
        artistId: tide.id,
        title: "Blue Tide Live in Busan",
        venue: "BEXCO Auditorium",
        address: "55 APEC-ro, Haeundae-gu, Busan",
        startsAt: at(14, 10),
        saleStartsAt: at(-3),
        saleEndsAt: at(13),
      },
    ];
    for (const event of events) {
      const created = await repos.events.create({ ...event, description: "" });
      await repos.publish(EventUpserted, eventUpserted(created));
    }
  });
  logger.info("demo catalog seeded");
}
