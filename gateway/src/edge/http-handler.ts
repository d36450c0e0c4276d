import { createHash } from "node:crypto";
import { type ApolloServer, HeaderMap } from "@apollo/server";
import type { Request, RequestHandler, Response } from "express";
import type { GatewayContext } from "../context.ts";
import type { AdmittedOperation, Edge } from "./edge.ts";
import type { EdgeClient } from "./edge-client.ts";
import { readHttpOperation } from "./operation-request.ts";
import { EdgeRefusal } from "./refusal.ts";

export interface HttpEdgeOptions {
  readonly edge: Edge;
  readonly apollo: ApolloServer<GatewayContext>;
  /** Who is calling (viewer, partner key, address), or a refusal (a bad token or key). */
  readonly identify: (req: Request) => Promise<EdgeClient | EdgeRefusal>;
  readonly context: (
    req: Request,
    res: Response,
    client: EdgeClient,
    admitted: AdmittedOperation,
  ) => GatewayContext;
  /** max-age of a GET answer that any cache may keep (no credentials, no errors). */
  readonly publicMaxAgeSeconds: number;
}

/**
 * /graphql over HTTP: the edge first, then Apollo Server with the admitted text as a JSON POST.
 * (This replaces Apollo's express middleware, which would read the request again itself.) Apollo's
 * CSRF prevention still sees the client's own headers; GET answers are cacheable only when they
 * carry nobody's data.
 */
export function httpEdgeHandler(options: HttpEdgeOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      if (req.method !== "GET" && req.method !== "POST") {
        sendRefusal(
          res,
          EdgeRefusal.coded(405, "BAD_REQUEST", "Use GET or POST", {}, { allow: "GET, POST" }),
        );
        return;
      }
      if (req.method === "POST" && !req.is("application/json")) {
        // Also Apollo's CSRF rule: a browser form may send text/plain or form encoding, never JSON.
        sendRefusal(res, EdgeRefusal.badRequest("Send the operation as application/json"));
        return;
      }
      const request = readHttpOperation(req);
      if (request instanceof EdgeRefusal) return sendRefusal(res, request);
      const client = await options.identify(req);
      if (client instanceof EdgeRefusal) return sendRefusal(res, client);
      const admitted = await options.edge.admit(request, client);
      if (admitted instanceof EdgeRefusal) return sendRefusal(res, admitted);
      for (const [name, value] of Object.entries(admitted.headers)) res.setHeader(name, value);

      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      headers.set("content-type", "application/json");
      const answer = await options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: "POST",
          headers,
          search: "",
          body: {
            query: admitted.query,
            ...(admitted.operationName ? { operationName: admitted.operationName } : {}),
            ...(admitted.variables ? { variables: admitted.variables } : {}),
            ...(admitted.extensions ? { extensions: admitted.extensions } : {}),
          },
        },
        context: async () => options.context(req, res, client, admitted),
      });
      for (const [name, value] of answer.headers) res.setHeader(name, value);
      res.statusCode = answer.status ?? 200;
      if (answer.body.kind === "complete") {
        if (req.method === "GET")
          setCacheHeaders(req, res, client, answer.body.string, options.publicMaxAgeSeconds);
        if (res.statusCode === 304) res.end();
        else res.send(answer.body.string);
        return;
      }
      for await (const chunk of answer.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      next(error);
    }
  };
}

export function sendRefusal(res: Response, refusal: EdgeRefusal): void {
  for (const [name, value] of Object.entries(refusal.headers)) res.setHeader(name, value);
  res.status(refusal.status).json(refusal.body());
}

/**
 * A GET answer that holds nobody's data (no cookie, no bearer token, no errors) may be kept by any
 * cache for a few seconds and revalidated by ETag: an on-sale crowd polling the same event listing
 * is then answered by a CDN or the browser. Anything else is private and never stored.
 */
function setCacheHeaders(
  req: Request,
  res: Response,
  client: EdgeClient,
  body: string,
  maxAge: number,
): void {
  res.setHeader("vary", "Authorization, Cookie, X-Api-Key");
  const anonymous = !client.viewer.authenticated && !req.header("authorization") && !req.header("cookie");
  const clean = res.statusCode === 200 && !body.includes('"errors"');
  if (!anonymous || !clean || maxAge <= 0) {
    res.setHeader("cache-control", "private, no-store");
    return;
  }
  const etag = `"${createHash("sha1").update(body).digest("base64url")}"`;
  res.setHeader("cache-control", `public, max-age=${maxAge}`);
  res.setHeader("etag", etag);
  if (req.header("if-none-match") === etag) res.statusCode = 304;
}
