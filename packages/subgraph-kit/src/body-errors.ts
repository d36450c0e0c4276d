import type { ErrorRequestHandler } from "express";

/** What body-parser's refusals mean to a client; each is the client's mistake (4xx). */
const BODY_REFUSALS: Record<string, { status: number; message: string }> = {
  "entity.too.large": { status: 413, message: "Request body is too large" },
  "entity.parse.failed": { status: 400, message: "Request body is not valid JSON" },
  "charset.unsupported": { status: 415, message: "Request body charset is not supported: send UTF-8" },
  "encoding.unsupported": {
    status: 415,
    message: "Request body Content-Encoding is not supported: send identity, gzip, deflate or br",
  },
  "request.size.invalid": { status: 400, message: "Request body length does not match Content-Length" },
  "request.aborted": { status: 400, message: "Request body was not received whole" },
  "parameters.too.many": { status: 413, message: "Request body has too many parameters" },
};

/**
 * Requests rejected before GraphQL runs (a malformed JSON body, one over the size limit, a charset
 * or content encoding the parser does not read) get a GraphQL-shaped JSON error with a stable code
 * and a 4xx status, not Express's default HTML page with a stack trace, nor a 500.
 */
export const bodyErrorHandler: ErrorRequestHandler = (
  error: { type?: string; status?: number; statusCode?: number },
  _req,
  res,
  next,
) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const known = error.type ? BODY_REFUSALS[error.type] : undefined;
  const status = error.status ?? error.statusCode;
  // Any other 4xx a body parser raises is still the client's; its own message may name internals.
  const refusal =
    known ??
    (status && status >= 400 && status < 500
      ? { status, message: "Request body could not be read" }
      : undefined);
  if (refusal) {
    res
      .status(refusal.status)
      .json({ errors: [{ message: refusal.message, extensions: { code: "BAD_REQUEST" } }] });
    return;
  }
  res
    .status(500)
    .json({ errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
};
