import { unwrapResolverError } from "@apollo/server/errors";
import { mapPrismaError, maskError } from "@urr/errors";
import type { Logger } from "@urr/logger";
import type { GraphQLFormattedError } from "graphql";

/**
 * Last line of defence: domain errors pass through, known Prisma errors a service forgot to map
 * become their domain error, everything else is masked and logged with its cause.
 */
export function formatErrorFor(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const mapped = mapPrismaError(original);
    if (mapped) {
      return {
        message: mapped.message,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: mapped.extensions,
      };
    }
    return maskError(formatted, original, {
      onMasked: (f) => logger.error({ err: original, path: f.path }, "unexpected error (masked)"),
    });
  };
}
