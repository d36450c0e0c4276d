import { trace } from "@opentelemetry/api";
import pino, { type Logger } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  level?: string;
  /** Where lines go; standard output by default (tests read them from a stream). */
  destination?: pino.DestinationStream;
}

/**
 * The active span's ids, so a log line can be found from its trace and the trace from the line.
 * Without tracing (no context manager registered) there is never an active span: one lookup.
 */
function traceIds(): { traceId?: string; spanId?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const ids = span.spanContext();
  return trace.isSpanContextValid(ids) ? { traceId: ids.traceId, spanId: ids.spanId } : {};
}

/**
 * Structured JSON logs, one line per record, with the service name on every line, and the trace
 * and span ids of the work it was written in. Secrets that may pass through request logging are
 * redacted at the source.
 */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const settings: pino.LoggerOptions = {
    name: service,
    level: options.level ?? "info",
    base: { service },
    mixin: traceIds,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        "password",
        "*.password",
        "refreshToken",
        "*.refreshToken",
        "accessToken",
        "*.accessToken",
        "idToken",
        "*.idToken",
        "headers.authorization",
        "headers.cookie",
        'headers["x-urr-context"]',
      ],
      censor: "[redacted]",
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
