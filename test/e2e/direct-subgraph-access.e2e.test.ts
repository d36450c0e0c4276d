import { randomBytes, randomUUID } from "node:crypto";
import {
  type AuthenticatedViewer,
  CONTEXT_HEADER,
  generateSigningKeyPair,
  importSigningKey,
  signContextToken,
  signServiceToken,
  type Viewer,
} from "@urr/auth-tokens";
import { connectPgRunner, type SqlRunner } from "@urr/db";
import { createEvent, EventUpserted, PaymentConfirmed, SIGNATURE_HEADER, sign } from "@urr/events";
import { createClient } from "graphql-ws";
import type { CryptoKey } from "jose";
import WebSocket from "ws";
import {
  type E2EStack,
  enterQueue,
  fullEvent,
  type Gql,
  registerFan,
  signIn,
  startE2EStack,
} from "./support/stack.ts";

/**
 * Every subgraph trusts only the gateway: a call straight to a subgraph (HTTP or graphql-ws) without
 * the gateway's signed context, or with one signed by anyone else, is refused before a resolver runs;
 * ticket's internal API wants a service token signed with the shared secret and meant for ticket;
 * the event receivers want the body signed with the delivery secret. Each refusal is checked with a
 * request that would have done something (create, pay, leave, confirm), and the owner's database or
 * the gateway shows nothing was done. The stack runs in HTTP event mode, so /internal/events is open.
 */
let stack: E2EStack;
let gatewayKey: CryptoKey;
let attackerKey: CryptoKey;
const databases = new Map<string, SqlRunner>();
let fan: { gql: Gql; accessToken: string; userId: string };
let fanViewer: AuthenticatedViewer;
let eventId: string;
let reservationId: string;

const env = (name: string) => stack.plan.subgraphs.find((s) => s.name === name)?.env ?? {};
const base = (name: string) => `http://127.0.0.1:${env(name).PORT}`;
const db = (name: string) => {
  const runner = databases.get(name);
  if (!runner) throw new Error(`no database for ${name}`);
  return runner;
};
const count = async (name: string, sql: string, params: unknown[]) =>
  Number((await db(name).query<{ n: string }>(sql, params))[0]?.n);
const ADMIN_VIEWER: AuthenticatedViewer = {
  authenticated: true,
  userId: "00000000-0000-4000-8000-00000000a001",
  email: "admin@urr.test",
  role: "ADMIN",
};

beforeAll(async () => {
  stack = await startE2EStack();
  gatewayKey = await importSigningKey(stack.plan.gateway.env.CONTEXT_TOKEN_PRIVATE_KEY ?? "");
  attackerKey = await importSigningKey((await generateSigningKeyPair()).privateKeyPem);
  for (const name of ["auth", "catalog", "ticket", "payment", "community"]) {
    databases.set(name, await connectPgRunner(env(name).DATABASE_URL ?? ""));
  }
  // A fan admitted to an event's waiting room, holding a seat: something to steal, pay or leave.
  const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
  const event = await fullEvent(admin, "Direct Night");
  eventId = event.eventId;
  fan = await registerFan(stack, "direct");
  fanViewer = { authenticated: true, userId: fan.userId, email: "direct@urr.test", role: "USER" };
  const held = await fan.gql(
    "mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) { holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) { id } }",
    { e: eventId, s: [event.seatIds[0]], k: randomUUID(), t: await enterQueue(fan.gql, eventId) },
  );
  if (!held.data) throw new Error(JSON.stringify(held.errors));
  reservationId = held.data.holdSeats.id;
}, 180_000);
afterAll(async () => {
  for (const runner of databases.values()) await runner.close();
  await stack?.stop();
});

/** The ways a caller that is not the gateway might try to pass for it. */
async function impostors(viewer: Viewer): Promise<[string, Record<string, string>][]> {
  const identity = viewer.authenticated ? viewer : ADMIN_VIEWER;
  return [
    ["no context at all", {}],
    [
      "a context token signed by another key",
      { [CONTEXT_HEADER]: await signContextToken(viewer, attackerKey) },
    ],
    ["a context token that is not a JWT", { [CONTEXT_HEADER]: "forged" }],
    [
      "identity headers",
      { "x-user-id": identity.userId, "x-user-role": identity.role, "x-user-email": identity.email },
    ],
    ["the user's own access token", { authorization: `Bearer ${fan.accessToken}` }],
  ];
}

async function postGraphql(name: string, query: string, variables: Record<string, unknown>, headers: object) {
  const response = await fetch(`${base(name)}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
}

const artistName = `Direct Artist ${randomBytes(4).toString("hex")}`;
const layoutName = `Direct Layout ${randomBytes(4).toString("hex")}`;
const email = `direct-${randomBytes(4).toString("hex")}@urr.test`;
const newsTitle = `Direct News ${randomBytes(4).toString("hex")}`;

/** Per subgraph: an operation that would change something, as whom, and how to see it did not. */
const attempts: {
  name: string;
  query: string;
  variables: () => Record<string, unknown>;
  viewer: () => Viewer;
  nothingDone: () => Promise<void>;
}[] = [
  {
    name: "auth",
    query:
      'mutation($e: String!) { register(input: { email: $e, password: "goodpass1", name: "X" }) { user { id } } }',
    variables: () => ({ e: email }),
    viewer: () => ({ authenticated: false }),
    nothingDone: async () => {
      expect(await count("auth", "SELECT count(*) AS n FROM users WHERE email = $1", [email])).toBe(0);
    },
  },
  {
    name: "catalog",
    query: "mutation($n: String!) { createArtist(input: { name: $n }) { id } }",
    variables: () => ({ n: artistName }),
    viewer: () => ADMIN_VIEWER,
    nothingDone: async () => {
      expect(await count("catalog", "SELECT count(*) AS n FROM artists WHERE name = $1", [artistName])).toBe(
        0,
      );
    },
  },
  {
    name: "ticket",
    query: "mutation($i: CreateSeatLayoutInput!) { createSeatLayout(input: $i) { id } }",
    variables: () => ({
      i: {
        name: layoutName,
        definition: {
          priceTiers: [{ name: "R", price: 1 }],
          sections: [{ name: "A", priceTier: "R", x: 0, y: 0, rows: [{ label: "1", seats: 1 }] }],
        },
      },
    }),
    viewer: () => ADMIN_VIEWER,
    nothingDone: async () => {
      expect(
        await count("ticket", "SELECT count(*) AS n FROM seat_layouts WHERE name = $1", [layoutName]),
      ).toBe(0);
    },
  },
  {
    name: "payment",
    query: "mutation($r: ID!) { preparePayment(kind: RESERVATION, referenceId: $r) { id } }",
    variables: () => ({ r: reservationId }),
    viewer: () => fanViewer,
    nothingDone: async () => {
      expect(
        await count("payment", "SELECT count(*) AS n FROM payments WHERE reference_id = $1", [reservationId]),
      ).toBe(0);
    },
  },
  {
    name: "queue",
    query: "mutation($e: ID!) { leaveQueue(eventId: $e) }",
    variables: () => ({ e: eventId }),
    viewer: () => fanViewer,
    nothingDone: async () => {
      const status = await fan.gql("query($e: ID!) { queueStatus(eventId: $e) { state } }", { e: eventId });
      expect(status.data?.queueStatus.state).toBe("ACTIVE");
    },
  },
  {
    name: "community",
    query: 'mutation($t: String!) { createNews(input: { title: $t, body: "Forged", publish: true }) { id } }',
    variables: () => ({ t: newsTitle }),
    viewer: () => ADMIN_VIEWER,
    nothingDone: async () => {
      expect(await count("community", "SELECT count(*) AS n FROM news WHERE title = $1", [newsTitle])).toBe(
        0,
      );
    },
  },
  {
    // Stats writes nothing for a caller (its one mutation, a rebuild, leaves the figures as they
    // are), so what an impostor would get is the admin figures themselves: the 401 and the absent
    // data above are the whole check.
    name: "stats",
    query: "query { stats { overview { purchases grossRevenue } } }",
    variables: () => ({}),
    viewer: () => ADMIN_VIEWER,
    nothingDone: async () => {},
  },
];

describe.each(attempts)("$name subgraph over HTTP", (attempt) => {
  it("refuses every caller that is not the gateway with 401 UNAUTHENTICATED, and does nothing", async () => {
    for (const [how, headers] of await impostors(attempt.viewer())) {
      const res = await postGraphql(attempt.name, attempt.query, attempt.variables(), headers);
      expect({ how, status: res.status, data: res.body.data }).toEqual({ how, status: 401, data: undefined });
      expect(res.body.errors).toEqual([
        { message: expect.any(String), extensions: { code: "UNAUTHENTICATED" } },
      ]);
    }
    await attempt.nothingDone();
  });
});

/** Opens graphql-ws straight to a subgraph and runs one subscription; returns how it ended. */
function subscribeDirectly(
  name: string,
  query: string,
  variables: Record<string, unknown>,
  options: { connectionParams?: Record<string, unknown>; extensions?: Record<string, unknown> },
): Promise<{ closeCode?: number; errors?: unknown; data: unknown[] }> {
  const data: unknown[] = [];
  let closeCode: number | undefined;
  const client = createClient({
    url: `${base(name).replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: options.connectionParams ?? {},
    on: {
      closed: (event) => {
        closeCode = (event as { code?: number }).code;
      },
    },
  });
  return new Promise((resolve) => {
    const finish = (errors?: unknown) => {
      void client.dispose();
      // The socket's close event may land just after the sink's error: let it, then answer.
      setTimeout(() => resolve({ closeCode, errors, data }), 100);
    };
    const timer = setTimeout(() => finish("no answer"), 10_000);
    client.subscribe(
      { query, variables, ...(options.extensions ? { extensions: options.extensions } : {}) },
      {
        next: (result) => {
          if (result.errors) {
            clearTimeout(timer);
            finish(result.errors);
          } else data.push(result.data);
        },
        error: (error) => {
          clearTimeout(timer);
          finish(Array.isArray(error) ? error : "closed");
        },
        complete: () => {
          clearTimeout(timer);
          finish();
        },
      },
    );
  });
}

const subscriptions = [
  {
    name: "ticket",
    query: "subscription($id: ID!) { reservationUpdates(id: $id) { id status } }",
    variables: () => ({ id: reservationId }),
  },
  {
    name: "ticket",
    query: "subscription($e: ID!) { seatAvailability(eventId: $e) { changes { seatId } } }",
    variables: () => ({ e: eventId }),
  },
  {
    name: "queue",
    query: "subscription($e: ID!) { queuePosition(eventId: $e) { state entryToken } }",
    variables: () => ({ e: eventId }),
  },
  {
    name: "stats",
    query: "subscription { statsUpdates { asOf } }",
    variables: () => ({}),
  },
];

describe.each(subscriptions)("$name subgraph over graphql-ws: $query", (sub) => {
  it("closes a connection without the gateway's context, or with a forged one (4403), sending nothing", async () => {
    const forged = await signContextToken(fanViewer, attackerKey);
    for (const connectionParams of [
      {},
      { [CONTEXT_HEADER]: forged },
      { authorization: `Bearer ${fan.accessToken}` },
    ]) {
      const outcome = await subscribeDirectly(sub.name, sub.query, sub.variables(), { connectionParams });
      expect(outcome).toMatchObject({ closeCode: 4403, data: [] });
    }
  });

  it("on a genuine gateway connection, refuses a subscription whose own context is missing or forged", async () => {
    const connectionParams = {
      [CONTEXT_HEADER]: await signContextToken({ authenticated: false }, gatewayKey),
    };
    const forged = await signContextToken(fanViewer, attackerKey);
    for (const extensions of [{}, { [CONTEXT_HEADER]: forged }]) {
      const outcome = await subscribeDirectly(sub.name, sub.query, sub.variables(), {
        connectionParams,
        extensions,
      });
      expect(outcome.data).toEqual([]);
      expect(outcome.errors).toEqual([expect.objectContaining({ extensions: { code: "UNAUTHENTICATED" } })]);
    }
  });
});

/** Internal routes between services: who serves them, for whom the token must be, what they reveal. */
const internalRoutes = [
  {
    what: "ticket's reservation snapshot",
    name: "ticket",
    audience: "ticket",
    caller: "payment",
    path: () => `/internal/reservations/${reservationId}`,
    reveals: () => reservationId,
  },
  {
    what: "catalog's event state",
    name: "catalog",
    audience: "catalog",
    caller: "queue",
    path: () => `/internal/event-states/${eventId}`,
    reveals: () => eventId,
  },
  {
    what: "catalog's open events",
    name: "catalog",
    audience: "catalog",
    caller: "queue",
    path: () => "/internal/event-states?open=true",
    reveals: () => eventId,
  },
];

describe.each(internalRoutes)("$what", (route) => {
  it("answers only a service token signed with the shared secret and meant for its service (else 401)", async () => {
    const secret = env(route.name).INTERNAL_API_SECRET ?? "";
    const url = `${base(route.name)}${route.path()}`;
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const refused: [string, Record<string, string>][] = [
      ["no token", {}],
      [
        "a token signed with another secret",
        bearer(await signServiceToken(randomBytes(32).toString("hex"), route.caller, route.audience)),
      ],
      [
        "a token meant for another service",
        bearer(
          await signServiceToken(secret, route.caller, route.audience === "ticket" ? "catalog" : "ticket"),
        ),
      ],
      ["a user's access token", bearer(fan.accessToken)],
      ["the gateway's context token", { [CONTEXT_HEADER]: await signContextToken(fanViewer, gatewayKey) }],
    ];
    for (const [how, headers] of refused) {
      const response = await fetch(url, { headers });
      const text = await response.text();
      expect({ how, status: response.status }).toEqual({ how, status: 401 });
      expect(text).not.toContain(route.reveals());
    }
    // The same call with the real thing answers: the refusals above were about the token alone.
    const genuine = await fetch(url, {
      headers: bearer(await signServiceToken(secret, route.caller, route.audience)),
    });
    expect(genuine.status).toBe(200);
    expect(await genuine.text()).toContain(route.reveals());
  });
});

describe("event receivers (/internal/events)", () => {
  /** POSTs a batch with a chosen signature; returns the HTTP status. */
  async function deliver(name: string, events: unknown[], signature: (body: string) => string | undefined) {
    const body = JSON.stringify({ events });
    const signed = signature(body);
    const response = await fetch(`${base(name)}/internal/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(signed ? { [SIGNATURE_HEADER]: signed } : {}) },
      body,
    });
    return response.status;
  }
  const secret = () => env("ticket").EVENT_DELIVERY_SECRET ?? "";
  const badSignatures: [string, (body: string) => string | undefined][] = [
    ["no signature", () => undefined],
    ["signed with another secret", (body) => sign(body, "not-the-delivery-secret-0123456789abcdef")],
    ["a signature of another body", (body) => sign(`${body} `, secret())],
    ["a malformed signature", () => "sha256=zz"],
  ];

  const newEvent = (id = randomUUID()) =>
    createEvent(EventUpserted, id, {
      eventId: id,
      artistId: randomUUID(),
      title: "Forged Show",
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      saleStartsAt: new Date(Date.now() - 86_400_000).toISOString(),
      saleEndsAt: new Date(Date.now() + 29 * 86_400_000).toISOString(),
      cancelledAt: null,
      revision: 1,
    });

  it("ticket refuses a forged payment confirmation and a forged catalog event with 401; nothing is applied", async () => {
    const paymentId = randomUUID();
    const confirmation = createEvent(PaymentConfirmed, paymentId, {
      paymentId,
      orderId: `URR-${paymentId.slice(0, 8)}`,
      userId: fan.userId,
      kind: "RESERVATION",
      referenceId: reservationId,
      amount: 1000,
      currency: "KRW",
      method: "CARD",
      confirmedAt: new Date().toISOString(),
    });
    const forgedShow = newEvent();
    for (const [how, signature] of badSignatures) {
      expect({ how, status: await deliver("ticket", [confirmation, forgedShow], signature) }).toEqual({
        how,
        status: 401,
      });
    }
    expect(
      await count("ticket", "SELECT count(*) AS n FROM reservations WHERE id = $1 AND status = 'PENDING'", [
        reservationId,
      ]),
    ).toBe(1);
    expect(
      await count("ticket", "SELECT count(*) AS n FROM tickets WHERE reservation_id = $1", [reservationId]),
    ).toBe(0);
    expect(
      await count("ticket", "SELECT count(*) AS n FROM catalog_events WHERE event_id = $1", [
        forgedShow.aggregateId,
      ]),
    ).toBe(0);

    // Signed with the delivery secret, the same kind of event is applied: the signature alone decided.
    const genuineShow = newEvent();
    expect(await deliver("ticket", [genuineShow], (body) => sign(body, secret()))).toBe(200);
    expect(
      await count("ticket", "SELECT count(*) AS n FROM catalog_events WHERE event_id = $1", [
        genuineShow.aggregateId,
      ]),
    ).toBe(1);
  });

  it.each(["catalog", "payment", "queue", "stats", "community"])(
    "%s refuses a batch without a valid signature with 401",
    async (name) => {
      const forgedShow = newEvent();
      for (const [how, signature] of badSignatures) {
        expect({ how, status: await deliver(name, [forgedShow], signature) }).toEqual({ how, status: 401 });
      }
    },
  );

  it("queue never learns an event from a forged catalog event", async () => {
    const forgedShow = newEvent();
    for (const [, signature] of badSignatures) await deliver("queue", [forgedShow], signature);
    const joined = await fan.gql("mutation($e: ID!) { joinQueue(eventId: $e) { state } }", {
      e: forgedShow.aggregateId,
    });
    expect(joined.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});
