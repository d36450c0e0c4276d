import { randomUUID } from "node:crypto";
import { importSigningKey, signAccessToken } from "@urr/auth-tokens";
import { type LiveClient, openLiveClient } from "@urr/testkit";
import WebSocket from "ws";
import { type E2EStack, enterQueue, fullEvent, registerFan, signIn, startE2EStack } from "./support/stack.ts";

/**
 * The graphql-ws endpoint keeps the rules HTTP keeps: a page of a foreign origin cannot use the
 * fan's cookie (cross-site WebSocket hijacking), cookie sign-in needs a checked Origin, a socket
 * does not outlive its access token, and mutations are no easier to forge than over HTTP.
 */
const ALLOWED = "https://app.urr.test"; // the stack's CORS_ORIGINS
const FOREIGN = "https://evil.example";

let stack: E2EStack;
const clients: LiveClient[] = [];
beforeAll(async () => {
  stack = await startE2EStack();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

const live = (options: Parameters<typeof openLiveClient>[1]) => {
  const client = openLiveClient(stack.gatewayUrl, options);
  clients.push(client);
  return client;
};
const wsUrl = () => stack.gatewayUrl.replace(/^http/, "ws");

/** The HTTP status of a bare upgrade with these headers (101 when the socket opened). */
async function upgradeStatus(headers: Record<string, string>): Promise<number> {
  const socket = new WebSocket(wsUrl(), "graphql-transport-ws", { headers });
  return new Promise((resolve, reject) => {
    socket.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("open", () => {
      resolve(101);
      socket.close();
    });
    socket.once("error", (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

const ME = "query { me { id } }";

describe("Origin at the upgrade", () => {
  it("refuses a page of a foreign origin (403), even with the fan's cookie", async () => {
    const fan = await registerFan(stack, "hijack");
    expect(await upgradeStatus({ origin: FOREIGN, cookie: fan.cookie })).toBe(403);
    expect(await upgradeStatus({ origin: ALLOWED, cookie: fan.cookie })).toBe(101);
  });

  it("signs in from the cookie a page of an allowed origin", async () => {
    const fan = await registerFan(stack, "allowed");
    const me = live({ cookie: fan.cookie, origin: ALLOWED }).subscribe<{ me: { id: string } }>(ME);
    await me.ended;
    expect(me.results[0]?.data?.me.id).toBe(fan.userId);
  });

  it("without Origin (not a browser) ignores the cookie; a bearer token still signs in", async () => {
    const fan = await registerFan(stack, "no-origin");
    const byCookie = live({ cookie: fan.cookie }).subscribe(ME);
    // Anonymous, so the protected field is filtered out (as over HTTP): null with UNAUTHENTICATED.
    await byCookie.ended;
    expect(byCookie.results[0]?.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    const byBearer = live({ accessToken: fan.accessToken }).subscribe<{ me: { id: string } }>(ME);
    await byBearer.ended;
    expect(byBearer.results[0]?.data?.me.id).toBe(fan.userId);
  });
});

it("closes the socket with 4401 when the access token expires, and delivers nothing after", async () => {
  const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
  const { eventId, seatIds } = await fullEvent(admin, "Expiry Night");
  const fan = await registerFan(stack, "short");
  const authEnv = stack.plan.subgraphs.find((s) => s.name === "auth")?.env ?? {};
  const key = await importSigningKey(authEnv.ACCESS_TOKEN_PRIVATE_KEY ?? "");
  const { token, expiresAt } = await signAccessToken(
    { userId: fan.userId, email: "short@urr.test", role: "USER" },
    key,
    3,
  );
  const SEATS = "subscription($e: ID!) { seatAvailability(eventId: $e) { changes { seatId status } } }";
  type Seats = { seatAvailability: { changes: { seatId: string; status: string }[] } };
  const expiring = live({ accessToken: token }).subscribe<Seats>(SEATS, { e: eventId });
  const observer = live({}).subscribe<Seats>(SEATS, { e: eventId });
  await expiring.waitFor((r) => Boolean(r.data), 10_000, "the first seat map");
  await observer.waitFor((r) => Boolean(r.data), 10_000, "the observer's first seat map");

  const closed = await Promise.race([
    expiring.ended.then(
      () => ({ code: "completed" }),
      (event: { code?: number }) => event,
    ),
    new Promise<{ code: string }>((resolve) =>
      setTimeout(
        () => resolve({ code: "still open 10 s after expiry" }),
        expiresAt.getTime() - Date.now() + 10_000,
      ),
    ),
  ]);
  expect(closed?.code).toBe(4401);
  expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime());
  const deliveredBeforeExpiry = expiring.results.length;

  // A change after the expiry reaches the observer, not the expired connection.
  const holder = await registerFan(stack, "holder");
  const entryToken = await enterQueue(holder.gql, eventId);
  const held = await holder.gql(
    "mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) { holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) { id } }",
    { e: eventId, s: [seatIds[0]], k: randomUUID(), t: entryToken },
  );
  expect(held.errors).toBeUndefined();
  await observer.waitFor(
    (r) => Boolean(r.data?.seatAvailability.changes.some((c) => c.seatId === seatIds[0])),
    10_000,
    "the hold on the observer's seat map",
  );
  expect(expiring.results).toHaveLength(deliveredBeforeExpiry);
  observer.close();
});

describe("mutations over the socket follow HTTP's CSRF rule", () => {
  const JOIN = "mutation($e: ID!) { joinQueue(eventId: $e) { state } }";
  const STATUS = "query($e: ID!) { queueStatus(eventId: $e) { state } }";

  it("a foreign page can forge one neither over HTTP nor over the socket", async () => {
    const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
    const { eventId } = await fullEvent(admin, "Forgery Night");
    const fan = await registerFan(stack, "forged");
    // HTTP: a form-like cross-site POST (no preflight) with the cookie is blocked by CSRF prevention.
    const forgedHttp = await fetch(stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: FOREIGN, cookie: fan.cookie },
      body: JSON.stringify({ query: JOIN, variables: { e: eventId } }),
    });
    expect(forgedHttp.status).toBe(400);
    // The socket: the same page gets no connection, so the mutation never runs.
    const forgedSocket = live({ cookie: fan.cookie, origin: FOREIGN }).subscribe(JOIN, { e: eventId });
    await expect(forgedSocket.ended).rejects.toBeDefined();
    expect(forgedSocket.results).toEqual([]);
    const status = await fan.gql(STATUS, { e: eventId });
    expect(status.data?.queueStatus.state).toBe("NOT_IN_QUEUE");
  });

  it("runs as the fan for an allowed page, and anonymously for a cookie without Origin", async () => {
    const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
    const { eventId } = await fullEvent(admin, "Own Page Night");
    const fan = await registerFan(stack, "own-page");
    const noOrigin = live({ cookie: fan.cookie }).subscribe(JOIN, { e: eventId });
    // Anonymous, so the protected field is filtered out (as over HTTP): null with UNAUTHENTICATED.
    await noOrigin.ended;
    expect(noOrigin.results[0]?.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect((await fan.gql(STATUS, { e: eventId })).data?.queueStatus.state).toBe("NOT_IN_QUEUE");
    const ownPage = live({ cookie: fan.cookie, origin: ALLOWED }).subscribe<{ joinQueue: { state: string } }>(
      JOIN,
      { e: eventId },
    );
    await ownPage.ended;
    expect(ownPage.results[0]?.data?.joinQueue.state).toBe("ACTIVE");
  });
});
