import { createLogger, type Logger } from "@urr/logger";
import { startTelemetry, type TelemetryConfig } from "@urr/telemetry";
import { onShutdownSignal } from "./shutdown.ts";

/**
 * Every service's `main.ts`: read the configuration (a bad variable stops start-up with a message
 * naming it), start its telemetry (metrics; tracing when an OTLP endpoint is configured), start,
 * and stop cleanly on a signal, sending the spans still buffered last.
 */
export function runService<C extends { LOG_LEVEL: string } & Partial<TelemetryConfig>>(
  name: string,
  loadConfig: () => C,
  start: (config: C, logger: Logger) => Promise<{ stop(): Promise<void> }>,
): void {
  const main = async () => {
    const config = loadConfig();
    const logger = createLogger(name, { level: config.LOG_LEVEL });
    const tracing = startTelemetry(name, config);
    const service = await start(config, logger);
    onShutdownSignal(logger, [() => service.stop(), () => tracing.shutdown()]);
  };
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
