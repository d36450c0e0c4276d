import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import { REQUEST_ID } from "../context.ts";
import { ACCESS_COOKIE } from "../viewer.ts";

/**
 * The socket's equivalent of what CORS and Apollo's CSRF prevention give HTTP. A browser always
 * sends `Origin` on a WebSocket upgrade and a page cannot change it, but the upgrade has no
 * preflight: without a check, any site could open a socket that carries the fan's cookie
 * (cross-site WebSocket hijacking) and run subscriptions and mutations as the fan.
 *
 * - `Origin` present and in `CORS_ORIGINS`, or the gateway's own origin (its `Host`, as a page it
 *   served itself, the schema explorer, sees it): a page the gateway trusts; cookie or bearer. A
 *   cross-site page cannot make the two agree: the browser sets both.
 * - `Origin` present and not allowed: refused at the upgrade (HTTP 403), whatever the credentials,
 *   as a browser page on that origin could not call the HTTP endpoint either (CORS).
 * - No `Origin`: not a browser (a server, a native app, a test). It may connect, but only with a
 *   bearer token in `connectionParams`: the cookie is ignored. A cookie is an ambient browser
 *   credential, and a client that holds it also holds the token it carries; so cookie sign-in stays
 *   tied to an origin the gateway has checked, also if a proxy or an old client strips `Origin`.
 */
export type OriginVerdict = "allowed" | "absent" | "refused";

export function checkOrigin(
  origin: string | undefined,
  allowedOrigins: readonly string[],
  host?: string,
): OriginVerdict {
  if (origin === undefined || origin === "") return "absent";
  // Exact comparison, as the `cors` middleware does for a list of origins.
  if (allowedOrigins.includes(origin)) return "allowed";
  const sameOrigin = host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  return sameOrigin ? "allowed" : "refused";
}

export interface SocketCredentials {
  authorization: string | undefined;
  accessCookie: string | undefined;
}

/** The credentials a connection signs in with, under the rule above. */
export function socketCredentials(
  verdict: OriginVerdict,
  cookieHeader: string | undefined,
  connectionParams: Record<string, unknown> | undefined,
): SocketCredentials {
  return {
    authorization: bearerOf(connectionParams),
    accessCookie: verdict === "allowed" ? cookieValue(cookieHeader, ACCESS_COOKIE) : undefined,
  };
}

/**
 * When the access token the viewer was signed in with expires (ms since the epoch): the bearer
 * token if one was given (it wins, as in viewerFromCredentials), otherwise the cookie. Read only
 * after the token verified, so its claims are trusted.
 */
export function credentialExpiry(credentials: SocketCredentials): number | undefined {
  const token = credentials.authorization
    ? /^Bearer\s+(\S+)$/i.exec(credentials.authorization)?.[1]
    : credentials.accessCookie;
  if (!token) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === "number" ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Longest delay setTimeout honours; a later expiry re-arms the timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `expire` once `expiresAt` has passed; the returned function cancels it. */
export function atExpiry(expiresAt: number, expire: () => void, now: () => number = Date.now): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt - now();
    if (left <= 0) return expire();
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/**
 * One request id per socket operation, as HTTP has one per request: the client's own
 * (`extensions["x-request-id"]`, same format as the HTTP header) or a fresh one. It goes to the logs
 * and upstream as `x-request-id`.
 */
export function operationRequestId(extensions: Record<string, unknown> | null | undefined): string {
  const incoming = extensions?.["x-request-id"];
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

function bearerOf(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  if (typeof value === "string") return value;
  const token = params?.accessToken;
  return typeof token === "string" ? `Bearer ${token}` : undefined;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const at = part.indexOf("=");
    if (at <= 0 || part.slice(0, at).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      return undefined; // a malformed cookie signs no one in
    }
  }
  return undefined;
}
