import express, { type Router } from "express";
import { builtPage, hashedAssets, sendBuiltPage } from "../web-pages/built-page.ts";
import { preparingPage, simplePage } from "../web-pages/simple-page.ts";

/** Where the page is; the build's `base` (web/demo/vite.config.mts) puts its files under assets/. */
export const DEMO_PATH = "/demo";
export const DEMO_ASSETS_PATH = `${DEMO_PATH}/assets`;

const PREPARING = preparingPage(
  "The live on-sale demo is being prepared",
  `<p>The gateway is running already; its demo page is being built in the background and appears
here by itself in a few seconds.</p>`,
);

const NOT_INSTALLED = simplePage(
  "This gateway has no demo page",
  `<p>The live on-sale demo is served when the gateway is given its built files (<code>DEMO_DIR</code>;
<code>npm start</code> builds and sets it). GraphQL is at <code>/graphql</code>.</p>`,
);

/**
 * `GET /demo`: the live on-sale demo (web/demo: seat map, waiting room, hold, pay, tickets), built
 * by Vite into `DEMO_DIR` and talking to this gateway's /graphql only; its hashed files under
 * /demo/assets, cached for good. The same serving rules as the schema explorer (web-pages/).
 */
export function demoRoutes(dir: string | undefined): Router {
  const router = express.Router({ strict: false });
  const page = dir ? builtPage(dir) : undefined;
  router.get(DEMO_PATH, async (_req, res, next) => {
    try {
      await sendBuiltPage(res, page, { preparing: PREPARING, notInstalled: NOT_INSTALLED });
    } catch (error) {
      next(error);
    }
  });
  if (dir) router.use(DEMO_ASSETS_PATH, hashedAssets(dir));
  return router;
}
