import { CONTEXT_HEADER, ContextTokenVerifier, type Viewer } from "@urr/auth-tokens";
import { ErrorCode } from "@urr/errors";
import type { Logger } from "@urr/logger";
import type { RequestHandler } from "express";
import type { CryptoKey } from "jose";

/**
 * Every GraphQL request must carry the gateway's signed context. A direct call to a subgraph (or a
 * client forging `x-user-id`) is refused before any resolver runs.
 */
export function contextGuard(key: CryptoKey, logger: Logger): RequestHandler {
  const verifier = new ContextTokenVerifier(key);
  return async (req, res, next) => {
    const token = req.header(CONTEXT_HEADER);
    if (!token) {
      reject(res, "Missing gateway context");
      return;
    }
    try {
      res.locals.viewer = (await verifier.verify(token)) satisfies Viewer;
      next();
    } catch (error) {
      logger.warn({ err: error, ip: req.ip }, "rejected request with invalid gateway context");
      reject(res, "Invalid gateway context");
    }
  };
}

function reject(res: Parameters<RequestHandler>[1], message: string): void {
  res.status(401).json({ errors: [{ message, extensions: { code: ErrorCode.Unauthenticated } }] });
}
