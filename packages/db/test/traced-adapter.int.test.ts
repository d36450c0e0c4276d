import { PrismaPg } from "@prisma/adapter-pg";
import { InMemorySpanExporter, startTracing, type Tracing, withSpan } from "@urr/telemetry";
import { createEmptyDatabase, type TestDatabase } from "@urr/testkit";
import { tracedAdapterFactory } from "../src/traced-adapter.ts";

/**
 * Prisma's driver adapter with spans (installed only when tracing is on): a statement is a span
 * under the work that ran it, a transaction is one span from BEGIN to COMMIT with its statements
 * beneath it, and nothing is recorded with no span active (a polling loop would be a trace a tick).
 */
let database: TestDatabase;
let exporter: InMemorySpanExporter;
let tracing: Tracing;
beforeAll(async () => {
  database = await createEmptyDatabase("traced_adapter");
});
afterAll(() => database.drop());
beforeEach(() => {
  exporter = new InMemorySpanExporter();
  tracing = startTracing({ service: "test", exporter });
});
afterEach(() => tracing.shutdown());

const select = (sql: string) => ({ sql, args: [], argTypes: [] });

it("records statements and transactions under the active span, and nothing without one", async () => {
  const adapter = await tracedAdapterFactory(new PrismaPg({ connectionString: database.url })).connect();
  expect(adapter.provider).toBe("postgres");
  await adapter.queryRaw(select("SELECT 1"));
  expect(exporter.getFinishedSpans()).toEqual([]);

  const rows = await withSpan("resolver", {}, async () => {
    await adapter.executeRaw(select("CREATE TABLE IF NOT EXISTS t (n int)"));
    const tx = await adapter.startTransaction();
    await tx.executeRaw(select("INSERT INTO t VALUES (1)"));
    await tx.commit();
    return adapter.queryRaw(select("SELECT n FROM t"));
  });
  expect(rows.rows).toEqual([[1]]);
  await adapter.dispose();

  const spans = exporter.getFinishedSpans();
  const resolver = spans.find((s) => s.name === "resolver");
  const transaction = spans.find((s) => s.name === "db transaction");
  const insert = spans.find((s) => s.name === "db INSERT");
  expect(spans.map((s) => s.name).sort()).toEqual(
    ["db CREATE", "db INSERT", "db SELECT", "db transaction", "resolver"].sort(),
  );
  expect(transaction?.parentSpanContext?.spanId).toBe(resolver?.spanContext().spanId);
  expect(insert?.parentSpanContext?.spanId).toBe(transaction?.spanContext().spanId);
  expect(transaction?.attributes["db.transaction.outcome"]).toBe("commit");
  expect(insert?.attributes["db.query.text"]).toBe("INSERT INTO t VALUES (1)");
});
