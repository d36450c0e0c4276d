import { randomUUID } from "node:crypto";
import { CATALOG_TOPIC } from "@urr/events";
import { type KafkaMock, startKafkaMock } from "@urr/testkit";
import { type E2EStack, signIn, startE2EStack } from "./support/stack.ts";

/**
 * The stack in services mode with KAFKA_BROKERS set: catalog publishes catalog-events to Kafka
 * (no HTTP subscribers are configured, so Kafka is the only path) and ticket consumes them.
 */
let broker: KafkaMock;
let stack: E2EStack;
beforeAll(async () => {
  broker = await startKafkaMock([CATALOG_TOPIC, `${CATALOG_TOPIC}.dlq`]);
  stack = await startE2EStack({ kafkaBrokers: broker.brokers });
});
afterAll(async () => {
  await stack?.stop();
  await broker?.stop();
});

it("an event created in catalog reaches ticket through Kafka and can be seated and held", async () => {
  const catalogEnv = stack.plan.subgraphs.find((s) => s.name === "catalog")?.env ?? {};
  expect(catalogEnv.KAFKA_BROKERS).toBe(broker.brokers.join(","));
  expect(catalogEnv.EVENT_SUBSCRIBERS).toBeUndefined();

  const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
  const day = 86_400_000;
  const artist = await admin(
    `mutation { createArtist(input: { name: "Kafka Artist ${Date.now()}" }) { id } }`,
  );
  const event = await admin("mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }", {
    i: {
      artistId: artist.data?.createArtist.id,
      title: "Kafka Night",
      venue: "Broker Hall",
      startsAt: new Date(Date.now() + 20 * day).toISOString(),
      saleStartsAt: new Date(Date.now() - day).toISOString(),
      saleEndsAt: new Date(Date.now() + 19 * day).toISOString(),
    },
  });
  const eventId = event.data?.createEvent.id;
  const layout = await admin("mutation($i: CreateSeatLayoutInput!) { createSeatLayout(input: $i) { id } }", {
    i: {
      name: `Kafka Hall ${randomUUID()}`,
      definition: {
        priceTiers: [{ name: "R", price: 1000 }],
        sections: [{ name: "A", priceTier: "R", x: 0, y: 0, rows: [{ label: "1", seats: 4 }] }],
      },
    },
  });

  const deadline = Date.now() + 45_000; // the consumer group's first join takes a few seconds
  let generated: Awaited<ReturnType<typeof admin>> | undefined;
  while (Date.now() < deadline) {
    generated = await admin(
      "mutation($e: ID!, $l: ID!) { generateSeats(eventId: $e, layoutId: $l) { seatsCreated } }",
      {
        e: eventId,
        l: layout.data?.createSeatLayout.id,
      },
    );
    if (generated.errors?.[0]?.extensions?.code !== "NOT_FOUND") break;
    await new Promise((r) => setTimeout(r, 300));
  }
  expect(generated?.errors).toBeUndefined();
  expect(generated?.data?.generateSeats.seatsCreated).toBe(4);

  const fan = await signIn(stack, `kafka-${Date.now()}@urr.test`, "goodpass1", true);
  const seats = await fan(
    `{ events(filter: { search: "Broker Hall" }) { edges { node { seats { id } } } } }`,
  );
  const held = await fan(
    "mutation($e: ID!, $s: [ID!]!, $k: String!) { holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k) { status } }",
    {
      e: eventId,
      s: [seats.data?.events.edges[0].node.seats[0].id],
      k: randomUUID(),
    },
  );
  expect(held.data?.holdSeats.status).toBe("PENDING");
});
