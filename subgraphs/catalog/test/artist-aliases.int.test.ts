import { ADMIN, type CatalogHarness, FAN, startCatalogHarness } from "./support/catalog-harness.ts";

/**
 * Search aliases: admins give an artist other names (Korean and English), `events` and `artists`
 * searches find the artist by them, and every change is validated and audited.
 */
let h: CatalogHarness;
beforeAll(async () => {
  h = await startCatalogHarness();
});
afterAll(() => h.close());

const DAY = 86_400_000;
const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();
let n = 0;

async function artistWithEvent(name = `Bangtan ${++n} ${Date.now()}`) {
  const artist = await h.call<{ createArtist: { id: string } }>(
    "mutation($n: String!) { createArtist(input: { name: $n }) { id } }",
    { n: name },
    ADMIN,
  );
  const artistId = artist.data!.createArtist.id;
  const event = await h.call<{ createEvent: { id: string } }>(
    `mutation($a: ID!, $s: DateTime!, $o: DateTime!, $e: DateTime!) { createEvent(input: {
      artistId: $a, title: "World Tour ${n}", venue: "Olympic Hall", startsAt: $s, saleStartsAt: $o, saleEndsAt: $e }) { id } }`,
    { a: artistId, s: iso(30), o: iso(-1), e: iso(29) },
    ADMIN,
  );
  return { artistId, eventId: event.data!.createEvent.id };
}

const ADD = "mutation($a: ID!, $t: String!) { addArtistAlias(artistId: $a, alias: $t) { id aliases } }";
const REMOVE = "mutation($a: ID!, $t: String!) { removeArtistAlias(artistId: $a, alias: $t) { id aliases } }";
const EVENTS = "query($s: String!) { events(filter: { search: $s }, first: 100) { edges { node { id } } } }";
const ARTISTS = "query($s: String!) { artists(search: $s, first: 100) { edges { node { id } } } }";

async function add(artistId: string, alias: string) {
  return h.call<{ addArtistAlias: { aliases: string[] } }>(ADD, { a: artistId, t: alias }, ADMIN);
}
async function eventIds(search: string) {
  const res = await h.call<{ events: { edges: { node: { id: string } }[] } }>(EVENTS, { s: search });
  expect(res.errors).toBeUndefined();
  return res.data!.events.edges.map((e) => e.node.id);
}
async function artistIds(search: string) {
  const res = await h.call<{ artists: { edges: { node: { id: string } }[] } }>(ARTISTS, { s: search });
  expect(res.errors).toBeUndefined();
  return res.data!.artists.edges.map((e) => e.node.id);
}

describe("addArtistAlias and search", () => {
  it("finds the artist and its events by the start of an alias, ignoring case, spacing and Unicode form", async () => {
    const { artistId, eventId } = await artistWithEvent();
    const tag = `${Date.now()}`;
    expect((await add(artistId, `  방탄소년단${tag} `)).data!.addArtistAlias.aliases).toEqual([
      `방탄소년단${tag}`,
    ]);
    expect((await add(artistId, `Bangtan   Sonyeondan${tag}`)).data!.addArtistAlias.aliases).toEqual([
      `Bangtan Sonyeondan${tag}`,
      `방탄소년단${tag}`,
    ]);
    expect(await eventIds(`방탄소년단${tag}`)).toEqual([eventId]);
    expect(await artistIds(`방탄소년단${tag}`)).toEqual([artistId]);
    // Decomposed Hangul (as some keyboards send it) is the same text.
    expect(await artistIds(`방탄소년단${tag}`.normalize("NFD"))).toEqual([artistId]);
    expect(await eventIds(`BANGTAN SONYEONDAN${tag}`)).toEqual([eventId]);
    expect(await eventIds(`bangtan  sonyeondan${tag}`)).toEqual([eventId]);
    // A prefix: typing the first letters is enough.
    expect(await artistIds("방탄소")).toContain(artistId);
    // Not an alias's middle (the prefix is what the index serves).
    expect(await artistIds(`소년단${tag}`)).toEqual([]);
  });

  it("keeps matching titles, venues and names as before, and treats % and _ as characters", async () => {
    const { artistId, eventId } = await artistWithEvent();
    expect(await eventIds(`World Tour ${n}`)).toContain(eventId);
    expect(await artistIds("Bangtan")).toContain(artistId);
    expect(await eventIds("%%")).toEqual([]);
    expect(await artistIds("__")).toEqual([]);
  });

  it("refuses an alias the artist has (any case or spacing) with CONFLICT, writing nothing", async () => {
    const { artistId } = await artistWithEvent();
    await add(artistId, "Proof Of Inspiration");
    const audits = await h.count("SELECT count(*) AS n FROM audit_entries WHERE entity_id = $1", [artistId]);
    expect((await add(artistId, "  proof  of INSPIRATION")).errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "ALIAS_EXISTS",
    });
    expect(await h.count("SELECT count(*) AS n FROM artist_aliases WHERE artist_id = $1", [artistId])).toBe(
      1,
    );
    expect(await h.count("SELECT count(*) AS n FROM audit_entries WHERE entity_id = $1", [artistId])).toBe(
      audits,
    );
    // Another artist may carry the same alias: a search then finds both.
    const other = await artistWithEvent();
    expect((await add(other.artistId, "Proof of Inspiration")).errors).toBeUndefined();
  });

  it.each([
    ["empty", "   "],
    ["over 100 characters", "가".repeat(101)],
    ["a control character", "BTS\u0007"],
    ["a newline", "BTS\nARMY"],
    ["a zero-width space", "B\u200BTS"],
    ["a direction override", "\u202EBTS"],
  ])("refuses an alias that is %s with BAD_USER_INPUT naming the field", async (_label, alias) => {
    const { artistId } = await artistWithEvent();
    expect((await add(artistId, alias)).errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "alias",
    });
    expect(await h.count("SELECT count(*) AS n FROM artist_aliases WHERE artist_id = $1", [artistId])).toBe(
      0,
    );
  });

  it("accepts 100 characters of Hangul (counted as characters, not bytes)", async () => {
    const { artistId } = await artistWithEvent();
    expect((await add(artistId, "가".repeat(100))).errors).toBeUndefined();
  });

  it("answers NOT_FOUND for an unknown artist and BAD_USER_INPUT for a malformed id", async () => {
    expect((await add("00000000-0000-4000-8000-000000000999", "x")).errors?.[0]?.extensions).toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await add("nope", "x")).errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "artistId",
    });
  });

  it("is for admins only", async () => {
    const { artistId } = await artistWithEvent();
    expect((await h.call(ADD, { a: artistId, t: "x" }, FAN)).errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await h.call(REMOVE, { a: artistId, t: "x" })).errors?.[0]?.extensions).toMatchObject({
      code: "UNAUTHENTICATED",
    });
  });

  it("never lets two admins adding at once pass the limit of 50 aliases", async () => {
    const { artistId } = await artistWithEvent();
    for (let i = 0; i < 48; i++) expect((await add(artistId, `alias ${i}`)).errors).toBeUndefined();
    const racing = await Promise.all([0, 1, 2, 3].map((i) => add(artistId, `racing ${i}`)));
    expect(racing.filter((r) => r.errors === undefined)).toHaveLength(2);
    expect(racing.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.reason)).toEqual([
      "TOO_MANY_ALIASES",
      "TOO_MANY_ALIASES",
    ]);
    expect(await h.count("SELECT count(*) AS n FROM artist_aliases WHERE artist_id = $1", [artistId])).toBe(
      50,
    );
  });
});

describe("removeArtistAlias", () => {
  it("removes the alias (matched ignoring case), audits before and after, and search stops finding it", async () => {
    const { artistId, eventId } = await artistWithEvent();
    const alias = `Suga Agust ${Date.now()}`;
    await add(artistId, alias);
    expect(await eventIds(alias)).toEqual([eventId]);
    const res = await h.call<{ removeArtistAlias: { aliases: string[] } }>(
      REMOVE,
      { a: artistId, t: alias.toUpperCase() },
      ADMIN,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.removeArtistAlias.aliases).toEqual([]);
    expect(await eventIds(alias)).toEqual([]);
    const audits = await h.sql.query<{ action: string; before: unknown; after: unknown }>(
      "SELECT action, before, after FROM audit_entries WHERE entity_id = $1 AND action LIKE 'artist-alias.%' ORDER BY at",
      [artistId],
    );
    expect(audits).toEqual([
      { action: "artist-alias.add", before: { aliases: [] }, after: { aliases: [alias] } },
      { action: "artist-alias.remove", before: { aliases: [alias] }, after: { aliases: [] } },
    ]);
  });

  it("answers NOT_FOUND for an alias the artist does not have, writing no audit entry", async () => {
    const { artistId } = await artistWithEvent();
    const audits = await h.count("SELECT count(*) AS n FROM audit_entries");
    expect(
      (await h.call(REMOVE, { a: artistId, t: "never added" }, ADMIN)).errors?.[0]?.extensions,
    ).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await h.count("SELECT count(*) AS n FROM audit_entries")).toBe(audits);
  });
});

it("alias prefix search can use the artist_aliases_normalized_prefix index", async () => {
  await h.sql.exec("SET enable_seqscan = off");
  const plan = await h.sql.query<{ "QUERY PLAN": string }>(
    "EXPLAIN SELECT artist_id FROM artist_aliases WHERE normalized LIKE 'bang%'",
  );
  await h.sql.exec("SET enable_seqscan = on");
  expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toMatch(/artist_aliases_normalized_prefix/);
});
