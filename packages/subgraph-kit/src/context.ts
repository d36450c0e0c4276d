import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { ForbiddenError, UnauthenticatedError } from "@urr/errors";
import type { Logger } from "@urr/logger";
import type { CookieOptions, Request, Response } from "express";

/** Read and write cookies of the current request; the gateway relays Set-Cookie to the client. */
export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, options: CookieOptions): void;
  clear(name: string, options: CookieOptions): void;
}

/** What every subgraph's context starts with; each subgraph adds its loaders and services. */
export interface BaseContext {
  viewer: Viewer;
  requestId: string;
  logger: Logger;
  cookies: CookieJar;
  userAgent: string | undefined;
  /**
   * A subscription's context lives as long as the subscription: per-request caches (DataLoader)
   * must not keep values across its updates.
   */
  live?: boolean;
}

export function cookieJar(req: Request, res: Response): CookieJar {
  const parsed = (req as Request & { cookies?: Record<string, string> }).cookies ?? {};
  return {
    get: (name) => parsed[name],
    set: (name, value, options) => {
      res.cookie(name, value, options);
    },
    clear: (name, options) => {
      res.clearCookie(name, options);
    },
  };
}

export function requireViewer(viewer: Viewer): AuthenticatedViewer {
  if (!viewer.authenticated) throw new UnauthenticatedError();
  return viewer;
}

export function requireAdmin(viewer: Viewer): AuthenticatedViewer {
  const user = requireViewer(viewer);
  if (user.role !== "ADMIN") throw new ForbiddenError("Administrator role required", "ADMIN_ONLY");
  return user;
}
