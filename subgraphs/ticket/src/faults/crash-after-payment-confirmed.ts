import { closeSync, openSync } from "node:fs";
import type { Logger } from "@urr/logger";

type Handle = (message: unknown) => Promise<string>;

/**
 * Test-only fault injection (TEST_CRASH_AFTER_PAYMENT_CONFIRMED, refused in production): the first
 * time this ticket process has applied a `payment.confirmed` — the confirmation committed in
 * PostgreSQL — it kills itself before the handler returns, so the consumer never acknowledges the
 * message (no Kafka offset commit, no 2xx to an HTTP sender). After a restart the message is
 * delivered again and deduplication is the only thing between it and a second application.
 *
 * `markerPath` makes it fire once across restarts (the restarted process runs with the same
 * environment): the file is created exclusively just before the crash; while it exists, nothing
 * happens.
 */
export function crashOnceAfterPaymentConfirmed(handle: Handle, markerPath: string, logger: Logger): Handle {
  return async (message) => {
    const outcome = await handle(message);
    const type = (message as { type?: unknown } | null)?.type;
    if (type === "payment.confirmed" && outcome === "confirmed" && claim(markerPath)) {
      logger.warn(
        { markerPath },
        "TEST_CRASH_AFTER_PAYMENT_CONFIRMED: killing this process before acknowledging",
      );
      process.kill(process.pid, "SIGKILL");
      await new Promise(() => {}); // never acknowledge, even if the signal is slow to land
    }
    return outcome;
  };
}

/** True for the one caller that created the marker file. */
function claim(markerPath: string): boolean {
  try {
    closeSync(openSync(markerPath, "wx"));
    return true;
  } catch {
    return false;
  }
}
