export { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
export {
  type MetricsExposureConfig,
  metricsExposureConfigFields,
  type TelemetryConfig,
  telemetryConfigFields,
} from "./config.ts";
export { graphqlMetrics, recordOperation } from "./graphql-metrics.ts";
export { type ServerSpanOptions, serverSpans } from "./http-spans.ts";
export { codeLabel, errorCodes, OperationNames } from "./labels.ts";
export {
  type Counter,
  counter,
  type Gauge,
  gauge,
  type Histogram,
  histogram,
  LATENCY_BUCKETS,
  metricsHandler,
  metricsRegistry,
  secondsSince,
  startMetrics,
} from "./metrics.ts";
export { startTelemetry } from "./service.ts";
export {
  activeSpan,
  contextFromHeaders,
  contextFromTraceparent,
  contextWith,
  currentTraceparent,
  injectTraceHeaders,
  markFailed,
  runInContext,
  type Span,
  SpanKind,
  type SpanOptions,
  startSpan,
  traceFields,
  withSpan,
} from "./spans.ts";
export { SubscriptionCounter } from "./subscriptions.ts";
export { startTracing, type Tracing, type TracingOptions, tracingEnabled } from "./tracing.ts";
