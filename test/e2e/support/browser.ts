import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";

/**
 * Browser tests in Debian's Chromium (scripts/ensure-services.sh installs the `chromium` package),
 * driven by playwright-core, which downloads no browser of its own. Headless, no sandbox (tests run
 * as root), no GPU, and none of Chromium's own traffic (component updates, safe-browsing lists,
 * first-run pages): this machine reaches no outside host, and a page under test must not either.
 *
 *   const browser = await launchBrowser();
 *   const session = await browser.newSession({ allowedOrigins: [gatewayOrigin] });
 *   const page = await session.newPage();
 *   await page.goto(url);
 *   await saveScreenshot(page, "explorer-loaded");
 *   expect(session.foreignRequests).toEqual([]);
 *   await browser.close();
 *
 * Each `launchBrowser` starts Chromium on a fresh temporary profile (user-data dir) of
 * playwright's, removed when it closes; each session is a new context (its own cookies and
 * storage), as two fans on two machines would be.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  // /dev/shm is small in containers; Chromium then crashes tabs instead of slowing down.
  "--disable-dev-shm-usage",
];

/** Screenshots and other artefacts of browser tests (git-ignored); TEST_ARTEFACTS_DIR moves it. */
export const ARTEFACTS_DIR =
  process.env.TEST_ARTEFACTS_DIR || path.resolve(__dirname, "..", "..", "..", "test-artefacts");

export interface SessionOptions {
  /** Origins the pages may reach (`http://127.0.0.1:4000`); their ws:/wss: twins are allowed too. */
  readonly allowedOrigins: readonly string[];
  /** Anything else playwright takes for a context (viewport, locale, storage state…). */
  readonly context?: BrowserContextOptions;
}

/** One browser context: the requests it tried to send elsewhere, and what went wrong in its pages. */
export interface BrowserSession {
  readonly context: BrowserContext;
  /**
   * Every request (HTTP of any kind, WebSocket) to an origin not allowed: refused before it left,
   * and listed here as `<method> <url>`.
   */
  readonly foreignRequests: readonly string[];
  /** Uncaught errors and console errors (a refused CSP load is one) of every page, in order. */
  readonly pageProblems: readonly string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface TestBrowser {
  readonly browser: Browser;
  newSession(options: SessionOptions): Promise<BrowserSession>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install Debian's chromium (scripts/ensure-services.sh does) or set CHROMIUM_PATH`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    timeout: 30_000,
  });
  return {
    browser,
    newSession: (options) => openSession(browser, options),
    close: () => browser.close(),
  };
}

async function openSession(browser: Browser, options: SessionOptions): Promise<BrowserSession> {
  // A service worker's fetches bypass context routing: none may register.
  const context = await browser.newContext({ serviceWorkers: "block", ...options.context });
  const allowedHosts = new Set(options.allowedOrigins.map((origin) => new URL(origin).host));
  const isForeign = (url: URL) => !allowedHosts.has(url.host);
  const foreignRequests: string[] = [];
  const pageProblems: string[] = [];

  await context.route(
    (url) => isForeign(url),
    async (route) => {
      foreignRequests.push(`${route.request().method()} ${route.request().url()}`);
      await route.abort("blockedbyclient");
    },
  );
  await context.routeWebSocket(
    (url) => isForeign(url),
    async (socket) => {
      foreignRequests.push(`WEBSOCKET ${socket.url()}`);
      await socket.close({ code: 1008, reason: "foreign host blocked by the test" });
    },
  );
  const watch = (page: Page) => {
    page.on("pageerror", (error) => pageProblems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") pageProblems.push(`console error: ${message.text()}`);
    });
  };
  context.on("page", watch);

  return {
    context,
    foreignRequests,
    pageProblems,
    newPage: () => context.newPage(),
    close: () => context.close(),
  };
}

/** Saves a full-page PNG under ARTEFACTS_DIR as `<name>.png` and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTEFACTS_DIR, { recursive: true });
  const file = path.join(ARTEFACTS_DIR, `${name.replace(/[^\w.-]+/g, "-")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
