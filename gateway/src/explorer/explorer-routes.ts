import { readFile } from "node:fs/promises";
import path from "node:path";
import { ErrorCode } from "@urr/errors";
import express, { type Request, type RequestHandler, type Response, type Router } from "express";
import type { EdgeClient } from "../edge/edge-client.ts";
import { sendRefusal } from "../edge/http-handler.ts";
import { EdgeRefusal } from "../edge/refusal.ts";
import type { TrustedDocuments } from "../edge/trusted-documents.ts";
import { NOT_INSTALLED_PAGE, PREPARING_PAGE } from "./pages.ts";
import { documentsVisibleTo } from "./registered-documents.ts";

export interface ExplorerOptions {
  /** `EXPLORER_DIR`: the built explorer (index.html, assets/); unset when not installed. */
  readonly dir: string | undefined;
  readonly documents: TrustedDocuments;
  /** Who is asking, as the edge identifies HTTP clients (session cookie, bearer token, API key). */
  readonly identify: (req: Request) => Promise<EdgeClient | EdgeRefusal>;
  /** The edge's introspection policy: the schema open to everyone (development). */
  readonly schemaOpenToAll: boolean;
}

/** Where the built files are served; the build's `base` (web/explorer/vite.config.mts). */
export const EXPLORER_ASSETS_PATH = "/explorer/assets";

/**
 * The browser's side of /graphql, mounted before the GraphQL handler:
 * - `GET /graphql` asking for HTML with no query string: the schema explorer (GraphiQL), or a page
 *   saying it is being built (it reloads itself) or not installed; anything else goes on to GraphQL;
 * - `GET /explorer/assets/*`: its scripts, styles, fonts and Monaco workers, named by content hash
 *   and cached for good;
 * - `GET /graphql/documents`: the registered documents the caller may browse (registered-documents.ts).
 *
 * The page runs under a Content-Security-Policy that allows this origin only, so a script, style,
 * font, worker or connection to another host is refused by the browser itself.
 */
export function explorerRoutes(options: ExplorerOptions): Router {
  const router = express.Router();
  const page = options.dir ? builtPage(options.dir) : undefined;

  router.get("/graphql", async (req, res, next) => {
    if (!wantsExplorer(req)) return next();
    try {
      res.setHeader("vary", "Accept");
      res.setHeader("x-content-type-options", "nosniff");
      res.setHeader("referrer-policy", "same-origin");
      res.type("html");
      if (!page) {
        res.setHeader("cache-control", "no-store");
        res.status(404).send(NOT_INSTALLED_PAGE);
        return;
      }
      const html = await page();
      if (!html) {
        res.setHeader("cache-control", "no-store");
        res.status(200).send(PREPARING_PAGE);
        return;
      }
      // Revalidated on every visit: the next build's file names are only known from it.
      res.setHeader("cache-control", "no-cache");
      res.setHeader("content-security-policy", EXPLORER_CSP);
      res.status(200).send(html);
    } catch (error) {
      next(error);
    }
  });

  router.get("/graphql/documents", documentsHandler(options));

  if (options.dir) {
    router.use(
      EXPLORER_ASSETS_PATH,
      express.static(path.join(options.dir, "assets"), {
        index: false,
        fallthrough: false,
        immutable: true,
        maxAge: "365d",
        setHeaders: (res) => res.setHeader("x-content-type-options", "nosniff"),
      }),
    );
  }
  return router;
}

/**
 * Only this origin: GraphiQL's scripts and workers, its style sheets (Monaco also sets inline
 * styles), fonts and icons as data: URLs, and GraphQL over fetch and graphql-ws to this gateway
 * ('self' covers ws:/wss: to the same host). Never framed (its buttons run mutations as the viewer).
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** A browser navigating to the endpoint: HTML preferred over JSON, and no GraphQL GET parameters. */
export function wantsExplorer(req: Request): boolean {
  if (req.originalUrl.includes("?")) return false;
  return req.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html";
}

/** The built index.html once it exists (read once: a new build comes with a new EXPLORER_DIR). */
function builtPage(dir: string): () => Promise<Buffer | undefined> {
  let html: Buffer | undefined;
  return async () => {
    if (html) return html;
    try {
      html = await readFile(path.join(dir, "index.html"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    return html;
  };
}

function documentsHandler(options: ExplorerOptions): RequestHandler {
  return async (req: Request, res: Response, next) => {
    try {
      const client = await options.identify(req);
      if (client instanceof EdgeRefusal) return sendRefusal(res, client);
      const documents = documentsVisibleTo(options.documents.all(), client, options.schemaOpenToAll);
      res.setHeader("cache-control", "private, no-store");
      if (!documents) {
        return sendRefusal(
          res,
          EdgeRefusal.coded(
            403,
            ErrorCode.Forbidden,
            "Registered documents are listed to clients that may read the schema (admins, API keys with schema:read) and to partner keys for the documents they are granted",
            { reason: "INTROSPECTION_DISABLED" },
          ),
        );
      }
      res.json({ documents });
    } catch (error) {
      next(error);
    }
  };
}
