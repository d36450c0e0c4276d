import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CookieJar, graphqlRequest, openLiveClient } from "@urr/testkit";
import { type NpmStartRun, startNpmStart } from "./support/npm-start.ts";
import { eventually } from "./support/stack.ts";

/**
 * `npm start` on a machine with only Node: embedded PGlite, migrations applied, demo data seeded,
 * URLs printed. Runs the real start script as a process.
 */
let run: NpmStartRun | undefined;
let dataDir: string;

afterAll(async () => {
  await run?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it("starts the whole supergraph embedded, prints its URLs and serves demo users", async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "urr-embedded-"));
  run = await startNpmStart(dataDir, 90_000);
  const { endpoint } = run;
  const output = run.output();
  expect(output).toContain(`GraphQL endpoint   ${endpoint}`);
  expect(output).toContain("embedded PGlite");

  const login = await graphqlRequest<{ login: { user: { email: string; role: string } } }>(
    endpoint,
    'mutation { login(input: { email: "fan1@urr.local", password: "urr-demo-1234" }) { user { email role } } }',
  );
  expect(login.errors).toBeUndefined();
  expect(login.data?.login.user).toEqual({ email: "fan1@urr.local", role: "USER" });
  const admin = await graphqlRequest<{ login: { user: { role: string } } }>(
    endpoint,
    'mutation { login(input: { email: "admin@urr.local", password: "urr-admin-1234" }) { user { role } } }',
  );
  expect(admin.data?.login.user.role).toBe("ADMIN");
  const events = await graphqlRequest<{
    events: { edges: { node: { status: string; artist: { name: string } } }[] };
  }>(endpoint, "{ events(filter: { status: ON_SALE }) { edges { node { status artist { name } } } } }");
  expect(events.data?.events.edges.length).toBeGreaterThan(0);
  expect(events.data?.events.edges.every((e) => e.node.status === "ON_SALE" && e.node.artist.name)).toBe(
    true,
  );

  // The on-sale path with the in-process waiting room and live updates: a demo fan joins the queue,
  // watches the seat map over graphql-ws (signed in by cookie) and holds two seats with the pass.
  const jar = new CookieJar();
  const fan = <T>(query: string, variables: Record<string, unknown> = {}) =>
    graphqlRequest<T>(endpoint, query, variables, { jar });
  await fan(
    'mutation { login(input: { email: "fan2@urr.local", password: "urr-demo-1234" }) { user { id } } }',
  );
  // Ticket and queue learn the demo events from catalog-events shortly after start.
  type Seated = { events: { edges: { node: { id: string; availability: { totalSeats: number } } }[] } };
  const eventId = await eventually(
    async () => {
      const seated = await fan<Seated>(
        "{ events(filter: { status: ON_SALE }) { edges { node { id availability { totalSeats } } } } }",
      );
      return seated.data?.events.edges.find((e) => e.node.availability.totalSeats > 0)?.node.id;
    },
    "a demo event with seats",
    30_000,
  );
  type Joined = { joinQueue: { state: string; entryToken: string | null } };
  const joined = await eventually(
    async () => {
      const res = await fan<Joined>("mutation($e: ID!) { joinQueue(eventId: $e) { state entryToken } }", {
        e: eventId,
      });
      return res.errors?.[0]?.extensions?.code === "NOT_FOUND" ? undefined : res;
    },
    "the queue to learn the demo event",
    30_000,
  );
  expect(joined.data?.joinQueue).toMatchObject({ state: "ACTIVE", entryToken: expect.any(String) });
  const live = openLiveClient(endpoint, { cookie: jar.header() ?? "" });
  try {
    const seats = live.subscribe<{
      seatAvailability: { changes: { status: string }[]; availability: { held: number } };
    }>(
      "subscription($e: ID!) { seatAvailability(eventId: $e) { changes { status } availability { held } } }",
      { e: eventId },
    );
    await seats.waitFor((r) => r.data?.seatAvailability.availability.held === 0, 10_000, "the seat map");
    const held = await fan(
      'mutation($e: ID!, $t: String) { holdBestAvailable(eventId: $e, count: 2, idempotencyKey: "embedded-1", entryToken: $t) { id } }',
      { e: eventId, t: joined.data?.joinQueue.entryToken },
    );
    expect(held.errors).toBeUndefined();
    await seats.waitFor(
      (r) => r.data?.seatAvailability.changes.filter((c) => c.status === "HELD").length === 2,
      10_000,
      "the hold",
    );
  } finally {
    await live.dispose();
  }

  // The demo's news, written by the admin through the gateway once everything was up: public,
  // pinned welcome first, and in the audit log like any admin action.
  type NewsPage = { news: { edges: { node: { title: string; pinned: boolean } }[] } };
  const news = await eventually(
    async () => {
      const page = await graphqlRequest<NewsPage>(
        endpoint,
        "{ news(first: 10) { edges { node { title pinned } } } }",
      );
      return page.data?.news.edges.length ? page.data.news.edges.map((e) => e.node) : undefined;
    },
    "the demo news",
    30_000,
  );
  expect(news).toEqual([
    { title: "Welcome to URR", pinned: true },
    { title: "Aurora Lane announce their World Tour Seoul", pinned: false },
  ]);
  expect(run.output()).toContain("[start] demo news written (2 items)");
});

it("serves the schema explorer to a browser, built after the start (a page says so until then)", async () => {
  const { endpoint } = run!;
  expect(run!.output()).toContain(`Schema explorer    ${endpoint} in a browser`);
  const html = await eventually(
    async () => {
      const page = await fetch(endpoint, { headers: { accept: "text/html" } });
      expect(page.status).toBe(200);
      const text = await page.text();
      return text.includes("being prepared") ? undefined : text;
    },
    "the explorer's build",
    60_000,
  );
  const script = /<script type="module" crossorigin src="(\/explorer\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  const asset = await fetch(new URL(script!, endpoint));
  expect(asset.status).toBe(200);
  expect(asset.headers.get("cache-control")).toContain("immutable");
});
