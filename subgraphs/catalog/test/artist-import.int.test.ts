import { firstErrorCode } from "@urr/testkit";
import { ADMIN, type CatalogHarness, FAN, startCatalogHarness } from "./support/catalog-harness.ts";
import { FakeMusicCatalog, fakeArtist } from "./support/fake-music-catalog.ts";

/**
 * Artist import through the subgraph's GraphQL API, against a local server speaking Spotify's API:
 * what an import writes (artist, audit entry, catalog-events message, in one transaction), that a
 * re-import updates the same row, and that the catalog's refusals reach the admin coded, with
 * nothing written.
 */
let fake: FakeMusicCatalog;
let h: CatalogHarness;
let off: CatalogHarness;
beforeAll(async () => {
  fake = await new FakeMusicCatalog().start();
  h = await startCatalogHarness({
    MUSIC_CATALOG_BASE_URL: fake.baseUrl,
    MUSIC_CATALOG_TOKEN_URL: fake.tokenUrl,
    MUSIC_CATALOG_CLIENT_ID: fake.clientId,
    MUSIC_CATALOG_CLIENT_SECRET: fake.clientSecret,
    MUSIC_CATALOG_RETRY_DELAY_MS: "1",
    MUSIC_CATALOG_MAX_RETRY_AFTER_WAIT_MS: "0",
    MUSIC_CATALOG_CIRCUIT_FAILURES: "100",
  });
  off = await startCatalogHarness();
});
afterAll(async () => {
  await h.close();
  await off.close();
  await fake.stop();
});
beforeEach(() => fake.reset());

const IMPORT = `mutation($id: ID!) { importArtist(source: SPOTIFY, externalId: $id) {
  id name genre imageUrl popularity description membershipPrice
  importedFrom { source externalId url importedAt } } }`;
const SEARCH = `query($q: String!, $first: Int, $offset: Int) {
  searchExternalArtists(query: $q, first: $first, offset: $offset) {
    total offset hasMore artists { externalId name genres imageUrl popularity followers url importedArtist { id } } } }`;

interface Imported {
  importArtist: {
    id: string;
    name: string;
    genre: string | null;
    popularity: number | null;
    importedFrom: { source: string; externalId: string; url: string | null; importedAt: string } | null;
  };
}

let n = 0;
function addToCatalog(name = `Imported ${++n} ${Date.now()}`, overrides = {}) {
  const artist = fakeArtist(`${name.replace(/\W/g, "")}${n}`, { name, ...overrides });
  fake.artists.set(artist.id, artist);
  return artist;
}

describe("importArtist", () => {
  it("creates the artist with its genre, picture and popularity, audited and announced in one go", async () => {
    const source = addToCatalog();
    const res = await h.call<Imported>(IMPORT, { id: source.id }, ADMIN);
    expect(res.errors).toBeUndefined();
    const artist = res.data!.importArtist;
    expect(artist).toMatchObject({
      name: source.name,
      genre: "k-pop",
      imageUrl: `https://i.scdn.co/image/${source.id}-640`,
      popularity: 87,
      description: "",
      membershipPrice: 30000,
      importedFrom: {
        source: "SPOTIFY",
        externalId: source.id,
        url: `https://open.spotify.com/artist/${source.id}`,
      },
    });
    const [audit] = await h.sql.query<{ action: string; before: unknown; after: { externalId: string } }>(
      "SELECT action, before, after FROM audit_entries WHERE entity_id = $1",
      [artist.id],
    );
    expect(audit).toMatchObject({ action: "artist.import", before: null, after: { externalId: source.id } });
    const outbox = await h.sql.query<{
      event_type: string;
      envelope: { payload: { name: string; revision: number } };
    }>("SELECT event_type, envelope FROM outbox_events WHERE message_key = $1", [artist.id]);
    expect(outbox).toMatchObject([
      { event_type: "catalog.artist.upserted", envelope: { payload: { name: source.name, revision: 1 } } },
    ]);
  });

  it("imported again, updates the same artist (new name, picture, popularity; price and description kept)", async () => {
    const source = addToCatalog();
    const first = (await h.call<Imported>(IMPORT, { id: source.id }, ADMIN)).data!.importArtist;
    await h.call(
      'mutation($id: ID!) { updateArtist(id: $id, input: { description: "Kept", membershipPrice: 44000 }) { id } }',
      { id: first.id },
      ADMIN,
    );
    fake.artists.set(source.id, { ...source, name: `${source.name} (renamed)`, popularity: 12, genres: [] });
    const again = await h.call<Imported & { importArtist: { description: string; membershipPrice: number } }>(
      IMPORT,
      { id: source.id },
      ADMIN,
    );
    expect(again.errors).toBeUndefined();
    expect(again.data!.importArtist).toMatchObject({
      id: first.id,
      name: `${source.name} (renamed)`,
      popularity: 12,
      genre: null,
      description: "Kept",
      membershipPrice: 44000,
    });
    expect(await h.count("SELECT count(*) AS n FROM artists WHERE external_id = $1", [source.id])).toBe(1);
    const actions = await h.sql.query<{ action: string }>(
      "SELECT action FROM audit_entries WHERE entity_id = $1 ORDER BY at",
      [first.id],
    );
    expect(actions.map((a) => a.action)).toEqual(["artist.import", "artist.update", "artist.import"]);
    const [latest] = await h.sql.query<{
      envelope: { payload: { revision: number; membershipPrice: number } };
    }>("SELECT envelope FROM outbox_events WHERE message_key = $1 ORDER BY created_at DESC LIMIT 1", [
      first.id,
    ]);
    expect(latest!.envelope.payload).toMatchObject({ revision: 3, membershipPrice: 44000 });
  });

  it("two admins importing one new record at once end with one artist, both answered with it", async () => {
    const source = addToCatalog();
    const results = await Promise.all(
      [0, 1, 2].map(() => h.call<Imported>(IMPORT, { id: source.id }, ADMIN)),
    );
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    expect(new Set(results.map((r) => r.data!.importArtist.id)).size).toBe(1);
    expect(await h.count("SELECT count(*) AS n FROM artists WHERE external_id = $1", [source.id])).toBe(1);
  });

  it("refuses when another artist already has the name (CONFLICT naming it), writing nothing", async () => {
    const name = `Namesake ${Date.now()}`;
    const existing = await h.call<{ createArtist: { id: string } }>(
      "mutation($n: String!) { createArtist(input: { name: $n }) { id } }",
      { n: name },
      ADMIN,
    );
    const source = addToCatalog(name);
    const res = await h.call(IMPORT, { id: source.id }, ADMIN);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "ARTIST_NAME_TAKEN",
      artistId: existing.data!.createArtist.id,
    });
    expect(await h.count("SELECT count(*) AS n FROM artists WHERE external_id = $1", [source.id])).toBe(0);
  });

  it("answers NOT_FOUND for an id the catalog does not know, BAD_USER_INPUT for a malformed one", async () => {
    const before = await h.count("SELECT count(*) AS n FROM artists");
    expect(
      (await h.call(IMPORT, { id: "0000000000000000000000" }, ADMIN)).errors?.[0]?.extensions,
    ).toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await h.call(IMPORT, { id: "not-a-spotify-id" }, ADMIN)).errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "externalId",
    });
    expect(fake.apiRequests).toHaveLength(1); // the malformed id never reached the catalog
    expect(await h.count("SELECT count(*) AS n FROM artists")).toBe(before);
  });

  it("is for admins only, checked before the catalog is asked", async () => {
    const source = addToCatalog();
    expect((await h.call(IMPORT, { id: source.id }, FAN)).errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(firstErrorCode(await h.call(IMPORT, { id: source.id }))).toBe("UNAUTHENTICATED");
    expect(firstErrorCode(await h.call(SEARCH, { q: "x" }, FAN))).toBe("FORBIDDEN");
    expect(fake.requests).toHaveLength(0);
  });
});

describe("searchExternalArtists", () => {
  it("lists the catalog's matches and links the ones already imported", async () => {
    const tag = `Zephyr${Date.now()}`;
    const imported = addToCatalog(`${tag} One`);
    addToCatalog(`${tag} Two`);
    const importedId = (await h.call<Imported>(IMPORT, { id: imported.id }, ADMIN)).data!.importArtist.id;
    const res = await h.call<{
      searchExternalArtists: {
        total: number;
        hasMore: boolean;
        artists: { externalId: string; name: string; importedArtist: { id: string } | null }[];
      };
    }>(SEARCH, { q: `  ${tag} `, first: 5 }, ADMIN);
    expect(res.errors).toBeUndefined();
    expect(res.data!.searchExternalArtists).toMatchObject({ total: 2, hasMore: false });
    expect(
      res.data!.searchExternalArtists.artists.map((a) => [a.name, a.importedArtist?.id ?? null]),
    ).toEqual([
      [`${tag} One`, importedId],
      [`${tag} Two`, null],
    ]);
    expect(fake.apiRequests.at(-1)?.query.get("q")).toBe(tag);
  });

  it.each([
    ["an empty query", { q: "   " }, "query"],
    ["a query with a control character", { q: "bts\u0000" }, "query"],
    ["a page over 50", { q: "bts", first: 51 }, "first"],
    ["a negative offset", { q: "bts", offset: -1 }, "offset"],
  ])("refuses %s naming the field, without asking the catalog", async (_label, variables, field) => {
    expect((await h.call(SEARCH, variables, ADMIN)).errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field,
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("without MUSIC_CATALOG_CLIENT_ID and _SECRET", () => {
  it("refuses search and import with MUSIC_CATALOG_NOT_CONFIGURED, writing nothing", async () => {
    for (const [query, variables] of [
      [SEARCH, { q: "bts" }],
      [IMPORT, { id: "3Nrfpe0tUJi4K4DXYWgMUX" }],
    ] as const) {
      const res = await off.call(query, variables, ADMIN);
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        reason: "MUSIC_CATALOG_NOT_CONFIGURED",
      });
    }
    expect(await off.count("SELECT count(*) AS n FROM artists")).toBe(0);
  });
});

// Last: the catalog's Retry-After pauses this subgraph's calls to it for the rest of the file.
describe("the catalog's rate limit", () => {
  it("passes the catalog's 429 on as a coded refusal with retryAfterSeconds, writing nothing", async () => {
    const source = addToCatalog();
    fake.scriptApi({ status: 429, headers: { "retry-after": "7" } });
    const audits = await h.count("SELECT count(*) AS n FROM audit_entries");
    const res = await h.call(IMPORT, { id: source.id }, ADMIN);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      reason: "MUSIC_CATALOG_RATE_LIMITED",
      retryAfterSeconds: 7,
    });
    expect(res.errors?.[0]?.message).not.toMatch(/429|stack|at /);
    expect(await h.count("SELECT count(*) AS n FROM audit_entries")).toBe(audits);
    expect(await h.count("SELECT count(*) AS n FROM artists WHERE external_id = $1", [source.id])).toBe(0);
    // Paused for the 7 seconds the catalog asked: the next admin is refused without a request.
    expect((await h.call(IMPORT, { id: source.id }, ADMIN)).errors?.[0]?.extensions).toMatchObject({
      reason: "MUSIC_CATALOG_RATE_LIMITED",
    });
    expect(fake.apiRequests).toHaveLength(1);
  });
});
