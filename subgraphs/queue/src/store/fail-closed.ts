import { DomainError, ServiceUnavailableError } from "@urr/errors";
import type { Logger } from "@urr/logger";

/**
 * Wraps a Redis-backed store so that a Redis failure (down, timed out, failing over) reaches the
 * client as SERVICE_UNAVAILABLE — retry shortly — instead of a masked internal error. The waiting
 * room fails closed: nobody is admitted or moved while its state cannot be read and written.
 */
export function failClosed<T extends object>(store: T, what: string, logger: Logger): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          if (error instanceof DomainError) throw error;
          // The cause stays in the logs: clients learn only that they may retry.
          logger.error({ err: error, operation: String(property) }, `${what}: store call failed`);
          throw new ServiceUnavailableError(`${what} is temporarily unavailable, retry shortly`);
        });
      };
    },
  });
}
