import type { GraphQLFormattedError } from "graphql";
import { ErrorCode, PUBLIC_ERROR_CODES } from "./codes.ts";

/** What a masked error looks like to the client: the cause stays in the logs. */
export const MASKED_MESSAGE = "Internal server error";

export interface MaskOptions {
  /** Called with the original error of every masked failure, to log it. */
  onMasked?: (formatted: GraphQLFormattedError, original: unknown) => void;
}

/**
 * Apollo Server `formatError`: keeps errors with a public code, replaces everything else by a
 * generic INTERNAL_SERVER_ERROR and never sends a stack trace.
 */
export function maskError(formatted: GraphQLFormattedError, original: unknown, options: MaskOptions = {}) {
  const code = formatted.extensions?.code;
  if (typeof code === "string" && PUBLIC_ERROR_CODES.has(code)) {
    const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  options.onMasked?.(formatted, original);
  return {
    message: MASKED_MESSAGE,
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: ErrorCode.Internal },
  } satisfies GraphQLFormattedError;
}
