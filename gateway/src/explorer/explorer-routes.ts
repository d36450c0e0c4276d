import { ErrorCode } from "@urr/errors";
import express, { type Request, type RequestHandler, type Response, type Router } from "express";
import type { EdgeClient } from "../edge/edge-client.ts";
import { sendRefusal } from "../edge/http-handler.ts";
import { EdgeRefusal } from "../edge/refusal.ts";
import type { TrustedDocuments } from "../edge/trusted-documents.ts";
import { builtPage, hashedAssets, SAME_ORIGIN_CSP, sendBuiltPage } from "../web-pages/built-page.ts";
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
      await sendBuiltPage(res, page, { preparing: PREPARING_PAGE, notInstalled: NOT_INSTALLED_PAGE });
    } catch (error) {
      next(error);
    }
  });

  router.get("/graphql/documents", documentsHandler(options));

  if (options.dir) router.use(EXPLORER_ASSETS_PATH, hashedAssets(options.dir));
  return router;
}

/** The policy the explorer runs under (web-pages/built-page.ts): this origin only, never framed. */
export const EXPLORER_CSP = SAME_ORIGIN_CSP;

/** A browser navigating to the endpoint: HTML preferred over JSON, and no GraphQL GET parameters. */
export function wantsExplorer(req: Request): boolean {
  if (req.originalUrl.includes("?")) return false;
  return req.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html";
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
