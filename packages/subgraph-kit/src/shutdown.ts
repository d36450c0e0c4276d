import type { Logger } from "@urr/logger";

export type ShutdownHook = () => Promise<void>;

/**
 * Runs the hooks in order on SIGTERM/SIGINT (stop accepting, drain, close pools), then exits. A
 * second signal or a stuck hook past the deadline forces the exit: an orchestrator will kill us anyway.
 */
export function onShutdownSignal(logger: Logger, hooks: ShutdownHook[], deadlineMs = 10_000): void {
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn({ signal }, "second signal, exiting now");
      process.exit(1);
    }
    shuttingDown = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error("shutdown deadline passed, exiting");
      process.exit(1);
    }, deadlineMs);
    timer.unref();
    let code = 0;
    for (const hook of hooks) {
      try {
        await hook();
      } catch (error) {
        code = 1;
        logger.error({ err: error }, "shutdown hook failed");
      }
    }
    process.exit(code);
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  // Started by the supervisor (npm start, tests): leave with it, even if it was killed outright.
  if (process.env.URR_EXIT_WITH_PARENT === "1") {
    process.stdin.on("end", () => void shutdown("SIGTERM"));
    process.stdin.on("error", () => void shutdown("SIGTERM"));
    process.stdin.resume();
  }
}
