import { createLogger, type Logger } from "@urr/logger";
import { onShutdownSignal } from "./shutdown.ts";

/**
 * Every service's `main.ts`: read the configuration (a bad variable stops start-up with a message
 * naming it), start, and stop cleanly on a signal.
 */
export function runService<C extends { LOG_LEVEL: string }>(
  name: string,
  loadConfig: () => C,
  start: (config: C, logger: Logger) => Promise<{ stop(): Promise<void> }>,
): void {
  const main = async () => {
    const config = loadConfig();
    const logger = createLogger(name, { level: config.LOG_LEVEL });
    const service = await start(config, logger);
    onShutdownSignal(logger, [() => service.stop()]);
  };
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
