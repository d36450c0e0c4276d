import { randomUUID } from "node:crypto";
import { type LiveClient, openLiveClient } from "@urr/testkit";
import WebSocket from "ws";
import { type E2EStack, enterQueue, fullEvent, registerFan, signIn, startE2EStack } from "./support/stack.ts";

/**
 * The live supergraph over real graphql-ws through the gateway: a full event's waiting room pushes
 * positions and the entry token; a hold shows up on another fan's seat map; fields of the catalog
 * (`event { title }`) are resolved through the query plan for every update.
 */
let stack: E2EStack;
const clients: LiveClient[] = [];
beforeAll(async () => {
  stack = await startE2EStack({ extraEnv: { gateway: { MAX_SUBSCRIPTIONS_PER_CONNECTION: "3" } } });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await stack?.stop();
});

const live = (accessToken?: string) => {
  const client = openLiveClient(stack.gatewayUrl, accessToken ? { accessToken } : {});
  clients.push(client);
  return client;
};

const POSITION = `subscription($e: ID!) { queuePosition(eventId: $e) {
  state position queueNumber entryToken estimatedWaitSeconds event { title startsAt }
} }`;
const SEATS = `subscription($e: ID!) { seatAvailability(eventId: $e) {
  changes { seatId status } availability { available held } event { title }
} }`;
type Position = {
  queuePosition: { state: string; position: number; entryToken: string | null; event: { title: string } };
};
type Seats = {
  seatAvailability: {
    changes: { seatId: string; status: string }[];
    availability: { held: number };
    event: { title: string };
  };
};

it("pushes queue positions, the entry token on admission, and seat changes with catalog fields", async () => {
  const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
  const { eventId, seatIds } = await fullEvent(admin, "Live Night");
  const early = await registerFan(stack, "early");
  await enterQueue(early.gql, eventId); // takes the only slot
  const a = await registerFan(stack, "a");
  const b = await registerFan(stack, "b");
  for (const fan of [a, b]) {
    const joined = await fan.gql("mutation($e: ID!) { joinQueue(eventId: $e) { state position } }", {
      e: eventId,
    });
    expect(joined.data?.joinQueue.state).toBe("QUEUED");
  }

  const positionA = live(a.accessToken).subscribe<Position>(POSITION, { e: eventId });
  const liveB = live(b.accessToken);
  const positionB = liveB.subscribe<Position>(POSITION, { e: eventId });
  const first = await positionA.waitFor((r) => r.data?.queuePosition.state === "QUEUED", 10_000, "A queued");
  expect(first.data?.queuePosition).toMatchObject({
    position: 1,
    entryToken: null,
    event: { title: "Live Night" },
  });
  await positionB.waitFor((r) => r.data?.queuePosition.position === 2, 10_000, "B second");

  // The early fan leaves: the next admission round admits A, and B moves up.
  expect(
    (await early.gql("mutation($e: ID!) { leaveQueue(eventId: $e) }", { e: eventId })).data?.leaveQueue,
  ).toBe(true);
  const admitted = await positionA.waitFor(
    (r) => r.data?.queuePosition.state === "ACTIVE",
    10_000,
    "A admitted",
  );
  expect(admitted.data?.queuePosition.entryToken).toEqual(expect.any(String));
  expect(admitted.data?.queuePosition.event.title).toBe("Live Night");
  await positionA.ended; // admission is the last update
  await positionB.waitFor(
    (r) => r.data?.queuePosition.position === 1 && r.data.queuePosition.state === "QUEUED",
    10_000,
    "B first",
  );

  // B watches the seat map; A holds with the token the subscription delivered.
  const seatsB = liveB.subscribe<Seats>(SEATS, { e: eventId });
  await seatsB.waitFor((r) => r.data?.seatAvailability.availability.held === 0, 10_000, "initial counts");
  const held = await a.gql(
    "mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) { holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) { id } }",
    { e: eventId, s: [seatIds[0]], k: randomUUID(), t: admitted.data?.queuePosition.entryToken },
  );
  expect(held.errors).toBeUndefined();
  const change = await seatsB.waitFor(
    (r) =>
      Boolean(r.data?.seatAvailability.changes.some((c) => c.seatId === seatIds[0] && c.status === "HELD")),
    10_000,
    "the hold on B's seat map",
  );
  expect(change.data?.seatAvailability).toMatchObject({
    availability: { held: 1 },
    event: { title: "Live Night" },
  });

  // B's ticket mutation without the entry token is refused.
  const refused = await b.gql(
    "mutation($e: ID!, $s: [ID!]!, $k: String!) { holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k) { id } }",
    { e: eventId, s: [seatIds[1]], k: randomUUID() },
  );
  expect(refused.errors?.[0]?.extensions).toMatchObject({
    code: "FORBIDDEN",
    reason: "ENTRY_TOKEN_REQUIRED",
  });
  // An operator clears the room while B still waits (before A's purchase frees A's slot and
  // admits B): B's subscription says so, and ends.
  const cleared = await admin("mutation($e: ID!) { clearQueue(eventId: $e) { queueSize activeUsers } }", {
    e: eventId,
  });
  expect(cleared.data?.clearQueue).toEqual({ queueSize: 0, activeUsers: 0 });
  await positionB.waitFor(
    (r) => r.data?.queuePosition.state === "NOT_IN_QUEUE",
    10_000,
    "B told the queue was cleared",
  );
  await positionB.ended;

  // A follows the reservation live while paying; B may not watch it.
  const reservationId: string = held.data?.holdSeats.id;
  const RESERVATION = `subscription($id: ID!) { reservationUpdates(id: $id) { status tickets { id } event { title } } }`;
  type Updates = {
    reservationUpdates: { status: string; tickets: { id: string }[]; event: { title: string } };
  };
  const mine = live(a.accessToken).subscribe<Updates>(RESERVATION, { id: reservationId });
  await mine.waitFor(
    (r) => r.data?.reservationUpdates.status === "PENDING",
    10_000,
    "the pending reservation",
  );
  const theirs = liveB.subscribe(RESERVATION, { id: reservationId });
  await theirs.ended;
  expect(theirs.results[0]?.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  const prepared = await a.gql(
    "mutation($r: ID!) { preparePayment(kind: RESERVATION, referenceId: $r) { orderId amount } }",
    {
      r: reservationId,
    },
  );
  const { orderId, amount } = prepared.data?.preparePayment ?? {};
  const paid = await a.gql(
    'mutation($o: String!, $a: Int!) { confirmPayment(orderId: $o, paymentKey: "pk_live", amount: $a) { outcome } }',
    {
      o: orderId,
      a: amount,
    },
  );
  expect(paid.data?.confirmPayment.outcome).toBe("CONFIRMED");
  const confirmed = await mine.waitFor(
    (r) => r.data?.reservationUpdates.status === "CONFIRMED",
    15_000,
    "the confirmation",
  );
  expect(confirmed.data?.reservationUpdates).toMatchObject({
    event: { title: "Live Night" },
    tickets: [{ id: expect.any(String) }],
  });
  mine.close();

  seatsB.close();
});

it("a browser authenticates its socket with the session cookie", async () => {
  const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
  const { eventId } = await fullEvent(admin, "Cookie Night");
  const fan = await registerFan(stack, "cookie");
  const client = openLiveClient(stack.gatewayUrl, { cookie: fan.cookie, origin: "https://app.urr.test" });
  clients.push(client);
  const position = client.subscribe<Position>(POSITION, { e: eventId });
  await position.waitFor(
    (r) => r.data?.queuePosition.state === "NOT_IN_QUEUE",
    10_000,
    "the fan's own place",
  );
  await position.ended;
});

describe("bad subscriptions get coded errors", () => {
  it("personal data without signing in → UNAUTHENTICATED", async () => {
    const sub = live().subscribe(POSITION, { e: randomUUID() });
    await expect(sub.ended).rejects.toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: "UNAUTHENTICATED" }) }),
    ]);
  });

  it("an invalid bearer token → UNAUTHENTICATED for every operation on the connection", async () => {
    const sub = live("not-a-token").subscribe(SEATS, { e: randomUUID() });
    await expect(sub.ended).rejects.toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: "UNAUTHENTICATED", reason: "INVALID_ACCESS_TOKEN" }),
      }),
    ]);
  });

  it("an unknown event → NOT_FOUND; a malformed id → BAD_USER_INPUT", async () => {
    const fan = await registerFan(stack, "bad");
    const client = live(fan.accessToken);
    const unknown = client.subscribe(SEATS, { e: randomUUID() });
    await unknown.ended;
    expect(unknown.results[0]?.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const malformed = client.subscribe(POSITION, { e: "nope" });
    await malformed.ended;
    expect(malformed.results[0]?.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("an oversized message closes the socket with 1009 (Message Too Big)", async () => {
    const socket = new WebSocket(stack.gatewayUrl.replace(/^http/, "ws"), "graphql-transport-ws");
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    socket.send(JSON.stringify({ type: "connection_init", payload: { filler: "x".repeat(300 * 1024) } }));
    expect(await closed).toBe(1009);
  });

  it("more operations than a connection may hold → RATE_LIMITED", async () => {
    const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
    const { eventId } = await fullEvent(admin, "Limit Night");
    const client = live();
    const open = [1, 2, 3].map(() => client.subscribe<Seats>(SEATS, { e: eventId }));
    await Promise.all(open.map((s) => s.waitFor((r) => Boolean(r.data), 10_000, "first update")));
    const fourth = client.subscribe(SEATS, { e: eventId });
    await expect(fourth.ended).rejects.toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: "RATE_LIMITED", reason: "SUBSCRIPTION_LIMIT" }),
      }),
    ]);
    // Closing one frees its place.
    open[0]?.close();
    await new Promise((r) => setTimeout(r, 200));
    const fifth = client.subscribe<Seats>(SEATS, { e: eventId });
    await fifth.waitFor((r) => Boolean(r.data), 10_000, "a subscription after one closed");
  });
});
