import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CookieJar, graphqlRequest } from "@urr/testkit";
import { type NpmStartRun, startNpmStart } from "./support/npm-start.ts";
import { eventually } from "./support/stack.ts";

/**
 * `npm start`, stop, `npm start` again on the same data directory: the second run's waiting room
 * starts empty (embedded mode keeps it in memory) and catalog's outbox was relayed by the first run,
 * so nothing sends the sale windows again. A fan must still join, hold and pay.
 */
let dataDir: string;
let running: NpmStartRun | undefined;

async function signedInFan(endpoint: string) {
  const jar = new CookieJar();
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) =>
    graphqlRequest<T>(endpoint, query, variables, { jar });
  const login = await gql(
    'mutation { login(input: { email: "fan1@urr.local", password: "urr-demo-1234" }) { user { id } } }',
  );
  expect(login.errors).toBeUndefined();
  return gql;
}

type Joined = { joinQueue: { state: string; entryToken: string | null } };
const JOIN = "mutation($e: ID!) { joinQueue(eventId: $e) { state entryToken } }";

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "urr-restart-"));
});

afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it("after npm start is restarted on the same data, a fan joins the queue, holds and pays", async () => {
  // First run: the demo events reach the waiting room through catalog-events.
  running = await startNpmStart(dataDir, 240_000);
  let fan = await signedInFan(running.endpoint);
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
  await eventually(
    async () => {
      const res = await fan<Joined>(JOIN, { e: eventId });
      return res.data?.joinQueue.state === "ACTIVE" ? res : undefined;
    },
    "the first run's queue to learn the demo event",
    30_000,
  );
  const firstRun = running;
  await eventually(
    async () => (firstRun.output().includes("[start] demo news written (2 items)") ? true : undefined),
    "the first run's demo news",
    30_000,
  );
  await running?.stop();

  // Second run on the same data directory: catalog has nothing left to relay.
  running = await startNpmStart(dataDir, 240_000);
  fan = await signedInFan(running.endpoint);
  const joined = await fan<Joined>(JOIN, { e: eventId });
  expect(joined.errors).toBeUndefined();
  expect(joined.data?.joinQueue).toMatchObject({ state: "ACTIVE", entryToken: expect.any(String) });

  const held = await fan<{ holdBestAvailable: { id: string } }>(
    'mutation($e: ID!, $t: String) { holdBestAvailable(eventId: $e, count: 1, idempotencyKey: "restart-1", entryToken: $t) { id } }',
    { e: eventId, t: joined.data?.joinQueue.entryToken },
  );
  expect(held.errors).toBeUndefined();
  const reservationId = held.data?.holdBestAvailable.id;
  const prepared = await fan<{ preparePayment: { orderId: string; amount: number } }>(
    "mutation($r: ID!) { preparePayment(kind: RESERVATION, referenceId: $r) { orderId amount } }",
    { r: reservationId },
  );
  expect(prepared.errors).toBeUndefined();
  const paid = await fan<{ confirmPayment: { outcome: string } }>(
    'mutation($o: String!, $a: Int!) { confirmPayment(orderId: $o, paymentKey: "pk_restart", amount: $a) { outcome } }',
    { o: prepared.data?.preparePayment.orderId, a: prepared.data?.preparePayment.amount },
  );
  expect(paid.data?.confirmPayment.outcome).toBe("CONFIRMED");
  await eventually(
    async () => {
      const mine = await fan<{ myReservations: { id: string; status: string }[] }>(
        "{ myReservations { id status } }",
      );
      return mine.data?.myReservations.find((r) => r.id === reservationId && r.status === "CONFIRMED");
    },
    "the reservation to be confirmed",
    30_000,
  );
  // The demo news was written once, by the first run; a restart finds it and writes nothing.
  const news = await fan<{ news: { edges: unknown[] } }>("{ news(first: 10) { edges { node { id } } } }");
  expect(news.data?.news.edges).toHaveLength(2);
  expect(running.output()).not.toContain("demo news written");
}, 600_000);
