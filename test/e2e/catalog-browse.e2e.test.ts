import { CookieJar, firstErrorCode, graphqlRequest } from "@urr/testkit";
import { type E2EStack, startE2EStack } from "./support/stack.ts";

/** Admins build the catalog and fans browse it, all through the gateway, across subgraphs. */
let stack: E2EStack;
beforeAll(async () => {
  stack = await startE2EStack();
});
afterAll(() => stack?.stop());

const day = 86_400_000;
const iso = (days: number) => new Date(Date.now() + days * day).toISOString();

async function signIn(email: string, password: string, register = false) {
  const jar = new CookieJar();
  const mutation = register
    ? `mutation { register(input: { email: "${email}", password: "${password}", name: "Fan" }) { accessToken } }`
    : `mutation { login(input: { email: "${email}", password: "${password}" }) { accessToken } }`;
  const res = await graphqlRequest(stack.gatewayUrl, mutation, {}, { jar });
  expect(res.errors).toBeUndefined();
  return jar;
}

it("an admin creates an artist and events; anyone browses them with the artist in one query", async () => {
  const admin = await signIn("admin@urr.test", "admin-password-123");
  const fan = await signIn(`browse-${Date.now()}@urr.test`, "goodpass1", true);

  const artist = await graphqlRequest<{ createArtist: { id: string } }>(
    stack.gatewayUrl,
    `mutation { createArtist(input: { name: "E2E Artist", genre: "K-pop" }) { id } }`,
    {},
    { jar: admin },
  );
  expect(artist.errors).toBeUndefined();
  const artistId = artist.data!.createArtist.id;
  for (const [title, saleFrom] of [
    ["E2E On Sale", -1],
    ["E2E Upcoming", 5],
  ] as const) {
    const created = await graphqlRequest(
      stack.gatewayUrl,
      "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
      {
        i: {
          artistId,
          title,
          venue: "Gateway Hall",
          startsAt: iso(30),
          saleStartsAt: iso(saleFrom),
          saleEndsAt: iso(29),
        },
      },
      { jar: admin },
    );
    expect(created.errors).toBeUndefined();
  }

  const browse = await graphqlRequest<{
    events: { edges: { node: { title: string; status: string; artist: { name: string; genre: string } } }[] };
  }>(
    stack.gatewayUrl,
    `query { events(filter: { search: "Gateway Hall" }) { edges { node { title status artist { name genre } } } } }`,
  );
  expect(browse.data?.events.edges.map((e) => e.node)).toEqual([
    { title: "E2E On Sale", status: "ON_SALE", artist: { name: "E2E Artist", genre: "K-pop" } },
    { title: "E2E Upcoming", status: "UPCOMING", artist: { name: "E2E Artist", genre: "K-pop" } },
  ]);

  // A fan is stopped at the gateway by @requiresScopes, before the catalog is called.
  const denied = await graphqlRequest(
    stack.gatewayUrl,
    `mutation { createArtist(input: { name: "Nope" }) { id } }`,
    {},
    { jar: fan },
  );
  expect(denied.errors?.[0]?.extensions).toMatchObject({
    code: "FORBIDDEN",
    reason: "MISSING_SCOPE",
    field: "Mutation.createArtist",
  });
  expect(firstErrorCode(await graphqlRequest(stack.gatewayUrl, "{ auditLog { entries { id } } }"))).toBe(
    "UNAUTHENTICATED",
  );

  const audit = await graphqlRequest<{ auditLog: { entries: { action: string; actorEmail: string }[] } }>(
    stack.gatewayUrl,
    "{ auditLog(first: 3) { entries { action actorEmail } } }",
    {},
    { jar: admin },
  );
  expect(audit.data?.auditLog.entries.map((e) => e.action)).toEqual([
    "event.create",
    "event.create",
    "artist.create",
  ]);
  expect(audit.data?.auditLog.entries.every((e) => e.actorEmail === "admin@urr.test")).toBe(true);
});
