import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { buildWebPage, webBuildPlace } from "../../scripts/lib/web-build.ts";
import { type BrowserSession, launchBrowser, saveScreenshot, type TestBrowser } from "./support/browser.ts";
import { type E2EStack, fullEvent, signIn, startE2EStack } from "./support/stack.ts";

/**
 * The live on-sale demo (/demo) in a real browser (Debian's Chromium), two fans in two browser
 * contexts, with every request to another host blocked and counted: both open the same event and
 * sign in through the page; fan 1 is admitted by the waiting room, fan 2 waits in line behind
 * them; fan 1 clicks a seat and holds it, and fan 2's seat map shows it held within 2 s; fan 1
 * pays with the simulated provider and sees the ticket with its signed code, the seat turns sold
 * on fan 2's map, and the freed slot admits fan 2 (their queuePosition moves). The gateway enforces
 * registered documents for first-party clients: the page runs documents/web/ by id and nothing
 * else. Screenshots go to test-artefacts/ (git-ignored).
 */
let stack: E2EStack;
let browser: TestBrowser;
let demoGateway: string;
const sessions: BrowserSession[] = [];

/** A hall like the demo's: a front block and a wider one behind it, two price tiers. */
const HALL = {
  priceTiers: [
    { name: "VIP", price: 154_000 },
    { name: "R", price: 132_000 },
  ],
  sections: [
    { name: "A", priceTier: "VIP", x: 2, y: 0, rows: ["1", "2", "3"].map((label) => ({ label, seats: 10 })) },
    {
      name: "B",
      priceTier: "R",
      x: 0,
      y: 5,
      rows: ["1", "2", "3", "4"].map((label) => ({ label, seats: 14 })),
    },
  ],
};

beforeAll(async () => {
  // The gateway is given the build's directory first and serves it once the build is there; the
  // build is cached by its sources (.urr/web), so only the first run on a checkout builds.
  const demo = await webBuildPlace("demo");
  const [started, , launched] = await Promise.all([
    startE2EStack({ extraEnv: { gateway: { DEMO_DIR: demo.outDir } } }),
    buildWebPage("demo"),
    launchBrowser(),
  ]);
  stack = started;
  browser = launched;
  // First-party clients are only audited by default. The page is served by a replica that enforces
  // registered documents, so it is seen to run nothing else; the test's own set-up (plain text)
  // goes to the first gateway.
  demoGateway = await stack.startReplica("gateway", "gateway-enforcing", {
    DOCUMENTS_MODE_FIRST_PARTY: "enforce",
  });
}, 180_000);

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close().catch(() => {})));
  await browser?.close();
  await stack?.stop();
});

async function openDemo(): Promise<{ session: BrowserSession; page: Page }> {
  const session = await browser.newSession({
    allowedOrigins: [new URL(demoGateway).origin],
    context: { viewport: { width: 1300, height: 900 } },
  });
  sessions.push(session);
  const page = await session.newPage();
  const loaded = await page.goto(new URL("/demo", demoGateway).href);
  expect(loaded?.status()).toBe(200);
  expect(loaded?.headers()["content-security-policy"]).toContain("default-src 'none'");
  return { session, page };
}

/** Picks the event and signs in through the page's form, as a fan would. */
async function signInOnPage(page: Page, title: string, email: string): Promise<void> {
  await page.getByRole("button", { name: new RegExp(title) }).click();
  await page.locator("[data-seat]").first().waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("goodpass1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${email}`).waitFor();
}

it("two fans: a hold shows on the other's map within 2 s; paying shows the tickets and admits the next fan", async () => {
  const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
  const title = `Demo Night ${randomBytes(3).toString("hex")}`;
  await fullEvent(admin, title, HALL); // its waiting room admits one fan at a time
  const [fan1, fan2] = ["fan1", "fan2"].map((name) => `${name}-${randomBytes(4).toString("hex")}@urr.test`);
  for (const email of [fan1, fan2]) await signIn(stack, email as string, "goodpass1", true);

  const one = await openDemo();
  const two = await openDemo();
  await signInOnPage(one.page, title, fan1 as string);
  await signInOnPage(two.page, title, fan2 as string);
  expect(await one.page.locator("[data-seat]").count()).toBe(3 * 10 + 4 * 14);

  await one.page.getByRole("button", { name: "Join the waiting room" }).click();
  await one.page.locator('.queue-state[data-state="ACTIVE"]').waitFor();
  await two.page.getByRole("button", { name: "Join the waiting room" }).click();
  await two.page.locator('.queue-state[data-state="QUEUED"]').waitFor();
  expect(await two.page.locator(".queue-state .position").textContent()).toBe("1");
  await saveScreenshot(two.page, "demo-fan2-waiting");

  const seat = "A-2-5";
  await one.page.locator(`[data-seat="${seat}"]`).click();
  const clicked = Date.now();
  await one.page.getByRole("button", { name: "Hold 1 seat" }).click();
  await two.page.locator(`[data-seat="${seat}"][data-status="HELD"]`).waitFor({ timeout: 2_000 });
  const seenAfterMs = Date.now() - clicked;
  expect(seenAfterMs).toBeLessThan(2_000);
  await one.page.locator('[data-seat="A-2-5"].seat-mine').waitFor();
  await saveScreenshot(one.page, "demo-fan1-held");
  await saveScreenshot(two.page, "demo-fan2-sees-held");

  await one.page.getByRole("button", { name: /^Pay 154,000 KRW/ }).click();
  const ticket = one.page.getByRole("list", { name: "Tickets" }).locator(".ticket");
  await ticket.locator("code").waitFor({ timeout: 15_000 });
  expect(await ticket.locator("strong").textContent()).toBe(seat);
  const code = (await ticket.locator("code").textContent()) ?? "";
  // The signed ticket: an Ed25519 JWT of type urr-ticket+jwt.
  const header = JSON.parse(Buffer.from(code.split(".")[0] ?? "", "base64url").toString()) as Record<
    string,
    string
  >;
  expect(header).toMatchObject({ alg: "EdDSA", typ: "urr-ticket+jwt" });
  await saveScreenshot(one.page, "demo-fan1-tickets");

  // Sold on the other fan's map; the purchase freed fan 1's slot, so the line moves and admits fan 2.
  await two.page.locator(`[data-seat="${seat}"][data-status="RESERVED"]`).waitFor({ timeout: 5_000 });
  await two.page.locator('.queue-state[data-state="ACTIVE"]').waitFor({ timeout: 15_000 });
  await saveScreenshot(two.page, "demo-fan2-admitted");

  for (const { session } of [one, two]) {
    expect(session.foreignRequests).toEqual([]);
    expect(session.pageProblems).toEqual([]);
  }
}, 60_000);
