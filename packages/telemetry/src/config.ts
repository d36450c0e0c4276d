import { env } from "@urr/config";
import { z } from "zod";

/**
 * The tracing variables every service reads (spread into its config schema). The names are
 * OpenTelemetry's own, so an operator's usual settings mean the same here; only these are read.
 */
export function telemetryConfigFields() {
  return {
    /** OTLP/HTTP collector base URL (`/v1/traces` is appended). Unset: no spans are recorded. */
    OTEL_EXPORTER_OTLP_ENDPOINT: env.url().optional(),
    /** Share of new traces recorded (0 to 1); a trace started upstream keeps its caller's choice. */
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
    /** How long finished spans wait before they are sent in one batch. */
    OTEL_BSP_SCHEDULE_DELAY: env.int(5_000, 10),
  };
}

export interface TelemetryConfig {
  readonly OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  readonly OTEL_TRACES_SAMPLER_ARG: number;
  readonly OTEL_BSP_SCHEDULE_DELAY: number;
}

/**
 * The gateway's public port must not hand its metrics to anyone: `/metrics` there needs
 * `METRICS_TOKEN` as a bearer token, or moves to `METRICS_PORT`, which is not published.
 */
export function metricsExposureConfigFields() {
  return {
    /** `Authorization: Bearer <token>` required for `/metrics` on the public port. */
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    /** Serve `/metrics` on this port (same HOST) instead of the public one. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  };
}

export interface MetricsExposureConfig {
  readonly METRICS_TOKEN?: string | undefined;
  readonly METRICS_PORT?: number | undefined;
}
