import type { ErrorRequestHandler } from "express";

/**
 * Requests rejected before GraphQL runs (a malformed JSON body, one over the size limit) get a
 * GraphQL-shaped JSON error with a stable code, not Express's default HTML page with a stack trace.
 */
export const bodyErrorHandler: ErrorRequestHandler = (
  error: { type?: string; status?: number },
  _req,
  res,
  next,
) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const tooLarge = error.type === "entity.too.large";
  const malformed = error.type === "entity.parse.failed";
  const status = tooLarge ? 413 : malformed ? 400 : 500;
  const message = tooLarge
    ? "Request body is too large"
    : malformed
      ? "Request body is not valid JSON"
      : "Internal server error";
  const code = tooLarge || malformed ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR";
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};
