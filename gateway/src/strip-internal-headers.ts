import { CONTEXT_HEADER } from "@urr/auth-tokens";
import type { RequestHandler } from "express";

/**
 * Identity headers are the gateway's to set. Subgraph requests are built from scratch, so client
 * headers never reach a subgraph anyway; removing them here as well keeps any future code that reads
 * `req.headers` from trusting them.
 */
export const stripInternalHeaders: RequestHandler = (req, _res, next) => {
  for (const name of Object.keys(req.headers)) {
    if (name.startsWith("x-user-") || name === CONTEXT_HEADER || name.startsWith("x-urr-")) {
      delete req.headers[name];
    }
  }
  next();
};
