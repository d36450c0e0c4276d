import { firstErrorCode } from "@urr/testkit";
import { ADMIN, type CatalogHarness, startCatalogHarness } from "./support/catalog-harness.ts";

/** Public browsing: filters, status derivation, cursor pagination, entities. */
let h: CatalogHarness;
let artistA: string;
let artistB: string;
const DAY = 86_400_000;
const iso = (days: number) => new Date(Date.now() + days * DAY).toISOString();

beforeAll(async () => {
  h = await startCatalogHarness();
  const artist = async (name: string) =>
    (
      await h.call<{ createArtist: { id: string } }>(
        "mutation($i: CreateArtistInput!) { createArtist(input: $i) { id } }",
        { i: { name } },
        ADMIN,
      )
    ).data!.createArtist.id;
  artistA = await artist("Aurora Lane");
  artistB = await artist("Blue Tide");
  const create = (
    artistId: string,
    title: string,
    venue: string,
    startsIn: number,
    saleFrom: number,
    saleTo: number,
  ) =>
    h.call(
      "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
      {
        i: {
          artistId,
          title,
          venue,
          startsAt: iso(startsIn),
          saleStartsAt: iso(saleFrom),
          saleEndsAt: iso(saleTo),
        },
      },
      ADMIN,
    );
  for (let i = 0; i < 12; i++) await create(artistA, `Aurora Night ${i}`, "KSPO Dome", 10 + i, -1, 5 + i); // on sale
  await create(artistB, "Blue Tide Upcoming", "BEXCO", 40, 10, 39); // upcoming
  // An event whose sale already ended: create it on sale, then move the window into the past.
  const ended = await create(artistB, "Blue Tide Sold Out Night", "Olympic Hall", 3, -2, 1);
  const endedId = (ended.data as { createEvent: { id: string } }).createEvent.id;
  await h.sql.query(
    "UPDATE events SET sale_starts_at = now() - interval '2 days', sale_ends_at = now() - interval '1 hour' WHERE id = $1",
    [endedId],
  );
  const cancelled = await create(artistB, "Blue Tide Cancelled", "Olympic Hall", 20, -1, 19);
  await h.call(
    'mutation($id: ID!) { cancelEvent(id: $id, reason: "illness") { id } }',
    { id: (cancelled.data as { createEvent: { id: string } }).createEvent.id },
    ADMIN,
  );
});
afterAll(() => h.close());

const EVENTS = `query($f: EventFilter, $first: Int, $after: String) {
  events(filter: $f, first: $first, after: $after) {
    edges { cursor node { id title status venue startsAt artist { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
type EventsData = {
  events: {
    edges: {
      cursor: string;
      node: { id: string; title: string; status: string; startsAt: string; artist: { name: string } };
    }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};
const list = async (f: Record<string, unknown> = {}, first = 100, after?: string) => {
  const res = await h.call<EventsData>(EVENTS, { f, first, after });
  expect(res.errors).toBeUndefined();
  return res.data!.events;
};

describe("event listing", () => {
  it("derives status consistently: each status filter returns exactly the events with that status", async () => {
    const all = (await list()).edges.map((e) => e.node);
    expect(all).toHaveLength(15);
    for (const status of ["UPCOMING", "ON_SALE", "ENDED", "CANCELLED"]) {
      const filtered = (await list({ status })).edges.map((e) => e.node.id).sort();
      expect(filtered).toEqual(
        all
          .filter((e) => e.status === status)
          .map((e) => e.id)
          .sort(),
      );
    }
    expect(all.filter((e) => e.status === "ON_SALE")).toHaveLength(12);
    expect(all.filter((e) => e.status === "ENDED").map((e) => e.title)).toEqual(["Blue Tide Sold Out Night"]);
  });

  it("filters by artist, date range and text in title or venue", async () => {
    expect((await list({ artistId: artistB })).edges.every((e) => e.node.artist.name === "Blue Tide")).toBe(
      true,
    );
    expect((await list({ search: "kspo" })).edges).toHaveLength(12);
    expect((await list({ search: "sold out" })).edges.map((e) => e.node.title)).toEqual([
      "Blue Tide Sold Out Night",
    ]);
    const window = (await list({ startsFrom: iso(15), startsBefore: iso(21) })).edges;
    expect(window.length).toBeGreaterThan(0);
    expect(window.every((e) => e.node.startsAt >= iso(15).slice(0, 10))).toBe(true);
  });

  it("pages with cursors: soonest first, no duplicates, no gaps", async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await list({}, 4, after);
      seen.push(...result.edges.map((e) => e.node.id));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor ?? undefined;
    }
    const all = (await list()).edges.map((e) => e.node.id);
    expect(seen).toEqual(all);
    const starts = (await list()).edges.map((e) => e.node.startsAt);
    expect([...starts].sort()).toEqual(starts);
  });

  it("refuses bad paging and filter input with field-named errors", async () => {
    const bad = async (variables: Record<string, unknown>) =>
      (await h.call(EVENTS, variables)).errors?.[0]?.extensions;
    expect(await bad({ first: 0 })).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    expect(await bad({ first: 101 })).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    expect(await bad({ after: "not-a-cursor" })).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    expect(await bad({ f: { search: "x" } })).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "filter.search",
    });
    expect(await bad({ f: { artistId: "nope" } })).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "filter.artistId",
    });
    expect(await bad({ f: { startsFrom: "tomorrow" } })).toMatchObject({ code: "BAD_USER_INPUT" });
  });
});

describe("lookups and entities", () => {
  it("returns null for an unknown id and BAD_USER_INPUT for a malformed one", async () => {
    expect((await h.call('{ event(id: "00000000-0000-4000-8000-000000000000") { id } }')).data).toEqual({
      event: null,
    });
    expect(firstErrorCode(await h.call('{ event(id: "42") { id } }'))).toBe("BAD_USER_INPUT");
  });

  it("lists an artist's events and resolves Event and Artist references in batches", async () => {
    const artist = await h.call<{ artist: { name: string; events: { edges: unknown[] } } }>(
      "query($id: ID!) { artist(id: $id) { name events(first: 5) { edges { node { id } } } } }",
      { id: artistA },
    );
    expect(artist.data?.artist.name).toBe("Aurora Lane");
    expect(artist.data?.artist.events.edges).toHaveLength(5);
    const ids = (await list({ artistId: artistB })).edges.map((e) => e.node.id);
    const entities = await h.call<{ _entities: ({ title: string; artist: { name: string } } | null)[] }>(
      "query($r: [_Any!]!) { _entities(representations: $r) { ... on Event { title artist { name } } ... on Artist { name } } }",
      {
        r: [
          ...ids.map((id) => ({ __typename: "Event", id })),
          { __typename: "Artist", id: artistA },
          { __typename: "Event", id: "00000000-0000-4000-8000-000000000000" },
        ],
      },
    );
    expect(entities.data?._entities).toHaveLength(ids.length + 2);
    expect(entities.data?._entities.at(-2)).toEqual({ name: "Aurora Lane" });
    expect(entities.data?._entities.at(-1)).toBeNull();
  });

  it("publishes its SDL with Event and Artist as entities", async () => {
    const sdl =
      (await h.call<{ _service: { sdl: string } }>("{ _service { sdl } }")).data?._service.sdl ?? "";
    expect(sdl).toMatch(/type Event\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Artist\s+@key\(fields: "id"\)/);
  });
});
