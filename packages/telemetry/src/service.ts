import type { TelemetryConfig } from "./config.ts";
import { startMetrics } from "./metrics.ts";
import { startTracing, type Tracing } from "./tracing.ts";

/**
 * A service's telemetry from its parsed config: metrics always (they cost a counter increment),
 * tracing only when OTEL_EXPORTER_OTLP_ENDPOINT is set. Called once, before the service starts.
 */
export function startTelemetry(service: string, config: Partial<TelemetryConfig>): Tracing {
  startMetrics(service);
  return startTracing({
    service,
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    sampleRatio: config.OTEL_TRACES_SAMPLER_ARG ?? 1,
    exportDelayMs: config.OTEL_BSP_SCHEDULE_DELAY ?? 5_000,
  });
}
