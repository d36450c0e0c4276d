import { randomUUID } from "node:crypto";
import type { ContextTokenSigner, Viewer } from "@urr/auth-tokens";
import { COOKIE_PREFIX } from "@urr/contracts";
import type { Request, Response } from "express";
import { carriesAmbientCredentials } from "./viewer.ts";

/** Per client request; the data sources read it for every subgraph fetch. */
export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  /** The signed context for subgraph fetches (shared by requests of the same viewer for 30 s). */
  contextToken(): Promise<string>;
  /** `urr_*` cookies of the client request, forwarded to cookie-reading subgraphs only. */
  forwardedCookies: string | undefined;
  /** The client response, to relay subgraphs' Set-Cookie headers (none over graphql-ws). */
  res?: Response;
  /** This client may see the schema: introspection and "Did you mean" suggestions (edge/introspection.ts). */
  schemaDetails: boolean;
}

/** What a client-chosen request id may look like (HTTP header or graphql-ws extensions). */
export const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestIdOf(req: Request): string {
  const incoming = req.header("x-request-id");
  return incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export function createGatewayContext(
  req: Request,
  res: Response,
  viewer: Viewer,
  requestId: string,
  signer: ContextTokenSigner,
  schemaDetails: boolean,
): GatewayContext {
  const cookies = Object.entries(
    (carriesAmbientCredentials(req) ? (req.cookies as Record<string, string> | undefined) : undefined) ?? {},
  )
    .filter(([name]) => name.startsWith(COOKIE_PREFIX))
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join("; ");
  return {
    viewer,
    requestId,
    contextToken: () => signer.sign(viewer),
    forwardedCookies: cookies || undefined,
    res,
    schemaDetails,
  };
}
