import { Writable } from "node:stream";
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { createLogger } from "@urr/logger";
import express from "express";
import {
  contextFromTraceparent,
  currentTraceparent,
  InMemorySpanExporter,
  serverSpans,
  startTracing,
  type Tracing,
  tracingEnabled,
  withSpan,
} from "../src/index.ts";

describe("tracing off (no endpoint, no exporter)", () => {
  it("registers nothing: work runs as is, no traceparent, no active span", async () => {
    const tracing = startTracing({ service: "test" });
    expect(tracing.enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);
    const seen = await withSpan("work", {}, async (span) => {
      expect(span.isRecording()).toBe(false);
      return currentTraceparent();
    });
    expect(seen).toBeNull();
    expect(trace.getActiveSpan()).toBeUndefined();
    await tracing.shutdown();
  });
});

describe("tracing on (in-memory exporter)", () => {
  let exporter: InMemorySpanExporter;
  let tracing: Tracing;
  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ service: "test", exporter });
  });
  afterEach(() => tracing.shutdown());

  it("nests spans started inside a span's work under it, across awaits", async () => {
    await withSpan("outer", {}, async () => {
      await new Promise((r) => setTimeout(r, 5));
      await withSpan("inner", {}, async () => {});
    });
    const [inner, outer] = exporter.getFinishedSpans();
    expect(outer?.name).toBe("outer");
    expect(inner?.name).toBe("inner");
    expect(inner?.spanContext().traceId).toBe(outer?.spanContext().traceId);
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
  });

  it("marks a span failed with the error's code and rethrows", async () => {
    const coded = Object.assign(new Error("taken"), { extensions: { code: "CONFLICT" } });
    await expect(
      withSpan("hold", {}, async () => {
        throw coded;
      }),
    ).rejects.toBe(coded);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes["error.code"]).toBe("CONFLICT");
  });

  it("continues a trace from a stored traceparent (the outbox relay's case)", async () => {
    const stored = await withSpan("transaction", {}, async () => currentTraceparent());
    expect(stored).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await withSpan("publish", { parent: contextFromTraceparent(stored) }, async () => {});
    const [writer, publish] = exporter.getFinishedSpans();
    expect(publish?.spanContext().traceId).toBe(writer?.spanContext().traceId);
    expect(publish?.parentSpanContext?.spanId).toBe(writer?.spanContext().spanId);
  });

  it("writes the active span's trace and span ids on every log line", async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logger = createLogger("test", { destination });
    logger.info("outside");
    await withSpan("work", {}, async (span) => {
      logger.child({ requestId: "r1" }).info("inside");
      expect(lines[1]).toMatchObject({
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
      });
    });
    expect(lines[0]?.traceId).toBeUndefined();
  });

  it("one SERVER span per request continues the caller's traceparent, active past the body parser", async () => {
    const app = express();
    app.use("/graphql", serverSpans({ continueIncoming: true }), express.json(), async (req, res) => {
      await withSpan("resolver", {}, async () => {});
      res.json({ got: req.body });
    });
    const server = app.listen(0);
    const port = (server.address() as { port: number }).port;
    const caller = await withSpan("caller", {}, async () => currentTraceparent());
    const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: caller ?? "" },
      body: JSON.stringify({ query: "{ a }" }),
    });
    expect(await answer.json()).toEqual({ got: { query: "{ a }" } });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const spans = exporter.getFinishedSpans();
    const callerSpan = spans.find((s) => s.name === "caller");
    const serverSpan = spans.find((s) => s.name === "POST /graphql");
    const resolver = spans.find((s) => s.name === "resolver");
    expect(serverSpan?.parentSpanContext?.spanId).toBe(callerSpan?.spanContext().spanId);
    expect(serverSpan?.attributes["http.response.status_code"]).toBe(200);
    expect(resolver?.parentSpanContext?.spanId).toBe(serverSpan?.spanContext().spanId);
  });

  it("at the public edge, starts a new trace instead of the client's", async () => {
    const app = express();
    app.use("/graphql", serverSpans({ continueIncoming: false }), (_req, res) => {
      res.json({});
    });
    const server = app.listen(0);
    const port = (server.address() as { port: number }).port;
    const clientChosen = "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01";
    await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { traceparent: clientChosen } });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const [span] = exporter.getFinishedSpans();
    expect(span?.spanContext().traceId).not.toBe("0123456789abcdef0123456789abcdef");
    expect(span?.parentSpanContext).toBeUndefined();
  });
});
