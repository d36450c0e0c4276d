import { randomBytes } from "node:crypto";
import type { Locator, Page } from "playwright-core";
import { buildWebPage, webBuildPlace } from "../../scripts/lib/web-build.ts";
import { type BrowserSession, launchBrowser, saveScreenshot, type TestBrowser } from "./support/browser.ts";
import { type E2EStack, enterQueue, fullEvent, signIn, startE2EStack } from "./support/stack.ts";

/**
 * The schema explorer in a real browser (Debian's Chromium), served by the gateway itself: with
 * every request to another host blocked and counted, it loads, shows the documentation written in
 * the schema, signs in with a mutation and then runs as that fan on the session cookie (a query,
 * a mutation, and a subscription over graphql-ws whose updates it shows), and lists the registered
 * documents. A production gateway shows an anonymous visitor why there are no docs. Screenshots
 * go to test-artefacts/ (git-ignored).
 */
let stack: E2EStack;
let browser: TestBrowser;
let productionGateway: string;
const sessions: BrowserSession[] = [];

beforeAll(async () => {
  // The gateway is given the build's directory first and serves it once the build is there; the
  // build is cached by its sources (.urr/web), so only the first run on a checkout builds.
  const explorer = await webBuildPlace("explorer");
  const [started, , launched] = await Promise.all([
    startE2EStack({ extraEnv: { gateway: { EXPLORER_DIR: explorer.outDir } } }),
    buildWebPage("explorer"),
    launchBrowser(),
  ]);
  stack = started;
  browser = launched;
  productionGateway = await stack.startReplica("gateway", "gateway-production", { NODE_ENV: "production" });
}, 180_000);

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close().catch(() => {})));
  await browser?.close();
  await stack?.stop();
});

async function openSession(url: string): Promise<{ session: BrowserSession; page: Page }> {
  const session = await browser.newSession({
    allowedOrigins: [new URL(url).origin],
    context: { viewport: { width: 1400, height: 900 } },
  });
  sessions.push(session);
  return { session, page: await session.newPage() };
}

/** Replaces the operation editor's text and runs it (GraphiQL's Ctrl+Enter). */
async function run(page: Page, operation: string): Promise<void> {
  await page.locator(".graphiql-query-editor .monaco-editor").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  // Inserted as one piece of text, as a paste is: Monaco closes no brackets on its own.
  await page.keyboard.insertText(operation);
  // GraphiQL reads the operation's name from the editor 100 ms after the last change (debounced);
  // run before that and it sends the previous operation's name.
  await page.waitForTimeout(300);
  await page.keyboard.press("ControlOrMeta+Enter");
}

/** The element's text once `expected` is in it (Monaco draws spaces as U+00A0). */
async function shows(where: Locator, expected: string | RegExp, timeout = 15_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = ((await where.textContent().catch(() => "")) ?? "").replace(/\u00a0/g, " ");
    if (typeof expected === "string" ? text.includes(expected) : expected.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`never showed ${expected}; it shows:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const responseShows = (page: Page, expected: string | RegExp) =>
  shows(page.locator(".graphiql-response .view-lines"), expected);

it("loads from the gateway alone, shows the docs, runs as the signed-in fan, and shows subscription updates", async () => {
  const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
  const { eventId } = await fullEvent(admin, "Explorer Night");
  const early = await signIn(stack, `early-${randomBytes(4).toString("hex")}@urr.test`, "goodpass1", true);
  await enterQueue(early, eventId); // takes the event's only slot: the next fan queues
  const email = `explorer-${randomBytes(4).toString("hex")}@urr.test`;
  await signIn(stack, email, "goodpass1", true);

  const { session, page } = await openSession(stack.gatewayUrl);
  const loaded = await page.goto(stack.gatewayUrl);
  expect(loaded?.status()).toBe(200);
  expect(loaded?.headers()["content-security-policy"]).toContain("default-src 'none'");
  await page.locator(".graphiql-query-editor .monaco-editor").waitFor();

  // The documentation is the schema's own descriptions.
  await page.getByRole("button", { name: "Show Documentation Explorer" }).click();
  await page.locator(".graphiql-doc-explorer").getByText("Query", { exact: true }).click();
  await page.locator(".graphiql-doc-explorer").getByText("events", { exact: true }).first().waitFor();
  await saveScreenshot(page, "explorer-docs");
  // The point-and-click builder (GraphiQL's explorer plugin) draws the same schema's root fields.
  await page.getByRole("button", { name: "Show GraphiQL Explorer" }).click();
  await page.locator(".graphiql-explorer-root").getByText("events", { exact: true }).first().waitFor();
  await saveScreenshot(page, "explorer-builder");

  await run(
    page,
    `mutation { login(input: { email: "${email}", password: "goodpass1" }) { user { email } } }`,
  );
  await responseShows(page, `"email": "${email}"`);
  // The login set the session cookie; the next operations run as that fan without a header.
  await run(page, "query { me { email role } }");
  await responseShows(page, `"role": "USER"`);
  await run(page, `mutation { joinQueue(eventId: "${eventId}") { state position } }`);
  await responseShows(page, `"state": "QUEUED"`);

  await run(page, `subscription { queuePosition(eventId: "${eventId}") { state position entryToken } }`);
  await responseShows(page, /"state": "QUEUED",\s*"position": 1/);
  await saveScreenshot(page, "explorer-subscription-queued");
  // The early fan leaves: the next admission round admits the explorer's fan, and the
  // subscription's update (with its entry token) replaces the QUEUED one.
  expect(
    (await early("mutation($e: ID!) { leaveQueue(eventId: $e) }", { e: eventId })).data?.leaveQueue,
  ).toBe(true);
  await responseShows(page, /"state": "ACTIVE",[\s\S]*"entryToken":\s*"ey/);
  await saveScreenshot(page, "explorer-subscription-admitted");

  // Registered documents, beside the editor: one click puts a document's text in the editor.
  await page.getByRole("button", { name: "Show Registered documents" }).click();
  const documents = page.locator(".urr-documents");
  await documents.getByRole("button", { name: /SeatMap$/ }).click();
  await shows(page.locator(".graphiql-query-editor .view-lines"), "query SeatMap(");
  await saveScreenshot(page, "explorer-documents");

  expect(session.foreignRequests).toEqual([]);
  expect(session.pageProblems).toEqual([]);
}, 90_000);

it("tells an anonymous visitor of a production gateway why there is no schema, instead of a blank page", async () => {
  const { session, page } = await openSession(productionGateway);
  await page.goto(productionGateway);
  const notice = page.getByRole("alert").filter({ hasText: "does not show you its schema" });
  await shows(notice, "schema:read");
  await page.getByRole("button", { name: "Show Registered documents" }).click();
  await shows(page.locator(".urr-documents-refused"), "may read the schema");
  await saveScreenshot(page, "explorer-production-anonymous");
  expect(session.foreignRequests).toEqual([]);
  // The refused introspection is the one console error the page may show (the browser logs 403s).
  expect(session.pageProblems.filter((p) => !p.includes("403"))).toEqual([]);
}, 60_000);
