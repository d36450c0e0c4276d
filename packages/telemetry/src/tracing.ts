import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanExporter,
  TraceIdRatioBasedSampler,
} from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";

export interface TracingOptions {
  /** `service.name` of every span this process records. */
  service: string;
  /** OTLP/HTTP base URL; spans are POSTed (JSON) to `<endpoint>/v1/traces` in batches. */
  endpoint?: string | undefined;
  /** Tests: spans go here at once (one by one), instead of or beside OTLP. */
  exporter?: SpanExporter;
  /** Share of new root traces recorded; a trace started upstream keeps its caller's decision. */
  sampleRatio?: number;
  /** How long finished spans wait for their batch (OTLP only). */
  exportDelayMs?: number;
}

export interface Tracing {
  /** False when nothing was configured: the OpenTelemetry API stays a no-op. */
  readonly enabled: boolean;
  /** Sends what is buffered. */
  flush(): Promise<void>;
  /** Flushes, then unregisters, so a later startTracing (tests) starts clean. */
  shutdown(): Promise<void>;
}

let active = false;

/**
 * Whether spans are being recorded in this process. Hot paths that would only build attributes or
 * wrap objects for a span check this first, so tracing left off costs a boolean read.
 */
export function tracingEnabled(): boolean {
  return active;
}

const OFF: Tracing = { enabled: false, flush: async () => {}, shutdown: async () => {} };

/**
 * Registers the process-wide tracer provider, AsyncLocalStorage context and W3C `traceparent`
 * propagation — but only when an endpoint or an exporter is given. Without one nothing is
 * registered: the API's tracer hands out non-recording spans, `context.with` just calls through and
 * no AsyncLocalStorage is enabled, which is what the on-sale path runs with by default.
 *
 * Apollo's gateway records its own spans (`gateway.request`, `gateway.plan`, `gateway.fetch` per
 * query-plan fetch) through the same global API, so they join these traces.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (active) throw new Error("tracing is already started in this process");
  const processors = [];
  if (options.endpoint) {
    const url = new URL(
      "v1/traces",
      options.endpoint.endsWith("/") ? options.endpoint : `${options.endpoint}/`,
    );
    processors.push(
      new BatchSpanProcessor(new OTLPTraceExporter({ url: url.toString() }), {
        scheduledDelayMillis: options.exportDelayMs ?? 5_000,
      }),
    );
  }
  if (options.exporter) processors.push(new SimpleSpanProcessor(options.exporter));
  if (processors.length === 0) return OFF;

  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.service }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio ?? 1) }),
    spanProcessors: processors,
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  active = true;
  return {
    enabled: true,
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
      active = false;
    },
  };
}
