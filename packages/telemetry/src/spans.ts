import {
  type Attributes,
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { tracingEnabled } from "./tracing.ts";

export { type Span, SpanKind } from "@opentelemetry/api";

/** The instrumentation scope of every span URR records itself. */
const SCOPE = "urr";

/** What `withSpan` hands its work when tracing is off: every call on it does nothing. */
const NOT_RECORDING: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The span's parent; the active context otherwise. */
  parent?: Context;
  /**
   * Record only under a span already active: for calls made both on a request's path and by
   * background loops (Redis scripts, SQL), where a loop's every tick would otherwise be a trace.
   */
  childOnly?: boolean;
}

/**
 * Runs `work` in a span that is active while it runs (so spans and log lines inside it are its
 * children) and ends when it settles; a thrown error marks it failed, with the error's `code` when
 * it has one. With tracing off `work` is called directly.
 */
export async function withSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  if (!tracingEnabled()) return work(NOT_RECORDING);
  const parent = options.parent ?? context.active();
  if (options.childOnly && !trace.getSpan(parent)) return work(NOT_RECORDING);
  const tracer = trace.getTracer(SCOPE);
  return tracer.startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
    },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        markFailed(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Starts a span the caller ends itself (one that outlives a callback, like a transaction's). */
export function startSpan(name: string, options: SpanOptions = {}): Span {
  if (!tracingEnabled()) return NOT_RECORDING;
  return trace.getTracer(SCOPE).startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
    },
    options.parent ?? context.active(),
  );
}

export function markFailed(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const code = (error as { code?: unknown; extensions?: { code?: unknown } } | null)?.extensions?.code;
  if (typeof code === "string") span.setAttribute("error.code", code);
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/** The context with `span` active under it, to run work in (`context.with`). */
export function contextWith(span: Span, parent: Context = context.active()): Context {
  return trace.setSpan(parent, span);
}

export function runInContext<T>(ctx: Context, work: () => T): T {
  return tracingEnabled() ? context.with(ctx, work) : work();
}

/** The active span (for attributes or a better name), or undefined. */
export function activeSpan(): Span | undefined {
  return tracingEnabled() ? trace.getActiveSpan() : undefined;
}

/** Writes `traceparent` (and `tracestate`) of the active span into outgoing headers. */
export function injectTraceHeaders(headers: Record<string, string>): void {
  if (tracingEnabled()) propagation.inject(context.active(), headers);
}

/**
 * The W3C `traceparent` of the active span, or null (tracing off, or nothing active). An outbox
 * row stores it, so the relay, later and in another transaction, continues the trace that wrote it.
 */
export function currentTraceparent(ctx: Context = context.active()): string | null {
  if (!tracingEnabled()) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent ?? null;
}

/** The context a received `traceparent` (header, Kafka header, outbox column) stands for. */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  if (!tracingEnabled() || !traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/** The context carried by incoming HTTP headers (`traceparent`, `tracestate`). */
export function contextFromHeaders(headers: Record<string, string | string[] | undefined>): Context {
  if (!tracingEnabled()) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** Trace and span id of the active span, for a log line; empty when none is recording. */
export function traceFields(): { traceId?: string; spanId?: string } {
  const span = tracingEnabled() ? trace.getActiveSpan() : undefined;
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { traceId, spanId } : {};
}
