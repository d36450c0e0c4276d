import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { type ReceivedSpan, startOtlpReceiver } from "./support/otlp-receiver.ts";
import {
  daysFromNow,
  type E2EStack,
  enterQueue,
  eventually,
  signIn,
  startE2EStack,
} from "./support/stack.ts";

/**
 * Metrics and traces of one purchase through the real processes. Every service exports its spans
 * over OTLP/HTTP to a receiver this test runs (each service is its own process: an in-memory
 * exporter inside one would be invisible here), and serves /metrics, scraped before and after.
 * The purchase uses the web client's registered documents, as the app does, so the gateway's
 * metrics carry their operation names.
 */
const SERVICES = ["gateway", "auth", "catalog", "ticket", "payment", "queue", "stats"];
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let stack: E2EStack;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const telemetry = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: "100" };
  stack = await startE2EStack({ extraEnv: Object.fromEntries(SERVICES.map((s) => [s, telemetry])) });
});
afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
});

const manifest = JSON.parse(
  readFileSync(path.resolve(__dirname, "../../documents/manifest.json"), "utf8"),
) as { operations: { name: string; body: string }[] };
const registered = (name: string) => {
  const body = manifest.operations.find((o) => o.name === name)?.body;
  if (!body) throw new Error(`no registered document ${name}`);
  return body;
};

const metricsUrl = (service: string) =>
  service === "gateway"
    ? stack.gatewayUrl.replace(/\/graphql$/, "/metrics")
    : stack.subgraphUrl(service).replace(/\/graphql$/, "/metrics");

/** Every series of a scrape, as `name{labels}` → value. */
async function scrape(service: string): Promise<Map<string, number>> {
  const response = await fetch(metricsUrl(service));
  expect(response.status).toBe(200);
  const series = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    const match = /^([a-z_:]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match?.[1] && match[2]) series.set(match[1], Number(match[2]));
  }
  return series;
}

/** The sum of a metric's series whose labels include all of `labels`. */
function sum(series: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const [key, value] of series) {
    if (!key.startsWith(`${name}{`) && key !== name) continue;
    if (Object.entries(labels).every(([l, v]) => key.includes(`${l}="${v}"`))) total += value;
  }
  return total;
}

it("a purchase moves the counters, and is one trace from the gateway through payment to ticket", async () => {
  const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
  const artist = await admin(`mutation { createArtist(input: { name: "Telemetry ${Date.now()}" }) { id } }`);
  const created = await admin("mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }", {
    i: {
      artistId: artist.data?.createArtist.id,
      title: "Telemetry Night",
      venue: "Trace Hall",
      startsAt: daysFromNow(20),
      saleStartsAt: daysFromNow(-1),
      saleEndsAt: daysFromNow(19),
    },
  });
  const eventId: string = created.data?.createEvent.id;
  const layout = await admin("mutation($i: CreateSeatLayoutInput!) { createSeatLayout(input: $i) { id } }", {
    i: {
      name: `Trace Hall ${randomUUID()}`,
      definition: {
        priceTiers: [{ name: "R", price: 1000 }],
        sections: [{ name: "A", priceTier: "R", x: 0, y: 0, rows: [{ label: "1", seats: 4 }] }],
      },
    },
  });
  await eventually(async () => {
    const res = await admin(
      "mutation($e: ID!, $l: ID!) { generateSeats(eventId: $e, layoutId: $l) { seatsCreated } }",
      {
        e: eventId,
        l: layout.data?.createSeatLayout.id,
      },
    );
    return res.errors?.[0]?.extensions?.code === "NOT_FOUND" ? undefined : res;
  }, "the event to reach ticket");

  const fan = await signIn(stack, `telemetry-${Date.now()}@urr.test`, "goodpass1", true);
  const seats = await fan(`{ events(filter: { search: "Trace Hall" }) { edges { node { seats { id } } } } }`);
  const seatId: string = seats.data?.events.edges[0].node.seats[0].id;
  const entryToken = await enterQueue(fan, eventId);

  const before = Object.fromEntries(
    await Promise.all(SERVICES.map(async (s) => [s, await scrape(s)] as const)),
  );
  const held = await fan(registered("HoldSeats"), {
    eventId,
    seatIds: [seatId],
    idempotencyKey: randomUUID(),
    entryToken,
  });
  expect(held.errors).toBeUndefined();
  const reservationId: string = held.data?.holdSeats.id;
  const prepared = await fan(registered("PreparePayment"), { reservationId });
  const orderId: string = prepared.data?.preparePayment.orderId;
  const confirmed = await fan(registered("ConfirmPayment"), {
    orderId,
    paymentKey: `pk-${randomUUID()}`,
    amount: 1000,
  });
  expect(confirmed.data?.confirmPayment.outcome).toBe("CONFIRMED");
  await eventually(async () => {
    const mine = await fan(registered("MyReservations"));
    return mine.data?.myReservations.find((r: { id: string; status: string }) => r.id === reservationId)
      ?.status === "CONFIRMED"
      ? true
      : undefined;
  }, "the reservation to be confirmed");

  // The relay counts a batch once every subscriber took it; ticket is only the first of them
  // (stats follows), so the confirmation above can be seen before the count moves.
  const paymentEvents = { topic: "payment-events" };
  await eventually(async () => {
    const published = sum(await scrape("payment"), "urr_outbox_published_total", paymentEvents);
    return published > sum(before.payment ?? new Map(), "urr_outbox_published_total", paymentEvents)
      ? true
      : undefined;
  }, "payment's relay to deliver payment-events to every subscriber");

  // Metrics: what happened, where it happened, under bounded labels.
  const after = Object.fromEntries(
    await Promise.all(SERVICES.map(async (s) => [s, await scrape(s)] as const)),
  );
  const moved = (service: string, name: string, labels: Record<string, string>) =>
    sum(after[service] ?? new Map(), name, labels) - sum(before[service] ?? new Map(), name, labels);
  expect(moved("ticket", "urr_seat_holds_total", { outcome: "won" })).toBe(1);
  expect(moved("ticket", "urr_reservations_total", { outcome: "confirmed" })).toBe(1);
  expect(moved("payment", "urr_payments_total", { outcome: "CONFIRMED" })).toBe(1);
  for (const operation of ["HoldSeats", "PreparePayment", "ConfirmPayment"])
    expect(moved("gateway", "urr_graphql_requests_total", { operation, code: "OK" })).toBe(1);
  expect(
    moved("gateway", "urr_gateway_subgraph_fetch_duration_seconds_count", {
      subgraph: "payment",
      outcome: "ok",
    }),
  ).toBeGreaterThanOrEqual(2);
  expect(moved("payment", "urr_graphql_requests_total", { operation: "mutation confirmPayment" })).toBe(1);
  expect(moved("payment", "urr_outbox_published_total", { topic: "payment-events" })).toBeGreaterThanOrEqual(
    1,
  );
  // At least once: a delivery the relay had to retry is applied once but handled again.
  expect(
    moved("ticket", "urr_events_consumed_total", { topic: "payment-events", outcome: "applied" }),
  ).toBeGreaterThanOrEqual(1);
  expect(
    moved("stats", "urr_events_consumed_total", { topic: "payment-events", outcome: "applied" }),
  ).toBeGreaterThanOrEqual(1);
  expect(
    sum(after.queue ?? new Map(), "urr_waiting_room_admitted_total", { event: eventId }),
  ).toBeGreaterThanOrEqual(1);
  expect(sum(after.gateway ?? new Map(), "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  for (const series of [...(after.gateway?.keys() ?? [])].filter((k) =>
    k.startsWith("urr_graphql_requests_total"),
  ))
    expect(series).not.toContain(reservationId);

  // Traces: the confirmPayment the payment subgraph answered belongs to one trace, rooted at the
  // gateway, that reaches ticket through payment-events and the tickets it issued.
  const trace = await eventually(
    async () => {
      const answered = receiver.spans.find(
        (s) => s.service === "payment" && s.name === "graphql mutation confirmPayment",
      );
      if (!answered) return undefined;
      const spans = receiver.spans.filter((s) => s.traceId === answered.traceId);
      const consumed = spans.find((s) => s.service === "ticket" && s.name === "process payment.confirmed");
      const issued =
        consumed && spans.find((s) => s.service === "ticket" && s.name === "publish reservation-events");
      return issued ? spans : undefined;
    },
    "the purchase's spans",
    30_000,
  );

  const byId = new Map(trace.map((s) => [s.spanId, s]));
  const pathToRoot = (span: ReceivedSpan): ReceivedSpan[] => {
    const chain = [span];
    for (let at = span; at.parentSpanId; ) {
      const parent = byId.get(at.parentSpanId);
      if (!parent) break;
      chain.push(parent);
      at = parent;
    }
    return chain;
  };
  const roots = trace.filter((s) => !s.parentSpanId);
  expect(roots.map((r) => [r.service, r.name])).toEqual([["gateway", "mutation ConfirmPayment"]]);
  const issued = trace.find((s) => s.service === "ticket" && s.name === "publish reservation-events");
  const chain = issued ? pathToRoot(issued) : [];
  expect(chain.at(-1)).toBe(roots[0]);
  expect(chain.map((s) => `${s.service}: ${s.name}`)).toEqual(
    expect.arrayContaining([
      "ticket: process payment.confirmed",
      "payment: publish payment-events",
      "payment: graphql mutation confirmPayment",
      "gateway: gateway.fetch",
      "gateway: mutation ConfirmPayment",
    ]),
  );
  expect([...new Set(trace.map((s) => s.service))]).toEqual(
    expect.arrayContaining(["gateway", "payment", "ticket"]),
  );
  expect(trace.some((s) => s.service === "ticket" && s.name === "db transaction")).toBe(true);
});
