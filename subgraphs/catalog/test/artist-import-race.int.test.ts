import { createLogger } from "@urr/logger";
import { ArtistImportService } from "../src/domain/artist-import.service.ts";
import type { ExternalArtistRecord, MusicCatalog } from "../src/music-catalog/music-catalog.ts";
import type { CatalogRepositories, CatalogStore } from "../src/repositories/catalog-store.ts";
import { ADMIN, type CatalogHarness, startCatalogHarness } from "./support/catalog-harness.ts";

/**
 * Two imports of one new catalog record, with the race window held open on purpose: the first
 * import's transaction is stopped at a chosen repository call until the second import has committed
 * the artist, then let go. Whichever step the window sits before (the name check or the insert), the
 * first import must end as an update of the second's artist, not a CONFLICT or an internal error.
 * (Seen failing with the ImportRaced check removed: CONFLICT ARTIST_NAME_TAKEN; and with the
 * unique-violation retry removed: the insert's violation of artists_name_key surfaced.)
 */
let h: CatalogHarness;
beforeAll(async () => {
  h = await startCatalogHarness();
});
afterAll(() => h.close());

let n = 0;
function record(): ExternalArtistRecord {
  n += 1;
  return {
    source: "SPOTIFY",
    externalId: `Race${n}${Date.now()}`.padEnd(22, "0").slice(0, 22),
    name: `Race Artist ${n} ${Date.now()}`,
    genres: ["k-pop"],
    imageUrl: null,
    popularity: 50,
    followers: 10,
    url: null,
  };
}

/** A catalog that answers one record and counts the lookups. */
function catalogOf(found: ExternalArtistRecord): MusicCatalog & { lookups: number } {
  return {
    source: "SPOTIFY",
    lookups: 0,
    search: async () => ({ artists: [found], total: 1, offset: 0, hasMore: false }),
    async artist() {
      this.lookups += 1;
      return found;
    },
  };
}

type ArtistStep = "findByName" | "create";

/**
 * The real store, except that the first transaction's `step` waits for `release` before it runs;
 * `reached` resolves when it is waiting.
 */
function gatedStore(store: CatalogStore, step: ArtistStep) {
  let armed = true;
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  const released = new Promise<void>((r) => (release = r));
  const gated: Pick<CatalogStore, "transaction"> = {
    transaction: <T>(work: (repos: CatalogRepositories) => Promise<T>) =>
      store.transaction((repos) => {
        if (!armed) return work(repos);
        armed = false;
        const original = repos.artists[step].bind(repos.artists) as (...args: unknown[]) => Promise<unknown>;
        Object.assign(repos.artists, {
          [step]: async (...args: unknown[]) => {
            reach();
            await released;
            return original(...args);
          },
        });
        return work(repos);
      }),
  };
  return { store: gated as CatalogStore, reached, release };
}

async function raceAt(step: ArtistStep) {
  const found = record();
  const catalogs = { SPOTIFY: catalogOf(found) };
  const logger = createLogger("catalog", { level: "silent" });
  const gate = gatedStore(h.app.store, step);
  const first = new ArtistImportService({ store: gate.store, catalogs, logger });
  const second = new ArtistImportService({ store: h.app.store, catalogs, logger });

  const slow = first.importArtist(ADMIN, "SPOTIFY", found.externalId);
  await gate.reached;
  const fast = await second.importArtist(ADMIN, "SPOTIFY", found.externalId);
  gate.release();
  const late = await slow;

  expect(late.id).toBe(fast.id);
  expect(await h.count("SELECT count(*) AS n FROM artists WHERE external_id = $1", [found.externalId])).toBe(
    1,
  );
  // Both imports are audited: the create, then the late import's update of the same artist.
  expect(
    await h.count(
      "SELECT count(*) AS n FROM audit_entries WHERE action = 'artist.import' AND entity_id = $1",
      [fast.id],
    ),
  ).toBe(2);
}

it("an import whose name check runs after the other import committed updates that artist", async () => {
  await raceAt("findByName");
});

it("an import whose insert runs after the other import committed retries as an update", async () => {
  await raceAt("create");
});
