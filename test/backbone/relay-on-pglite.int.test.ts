import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Embedded mode under four concurrent clients: catalog's relay delivers to a subscriber that is busy
 * and writes back to catalog's database meanwhile (the cycle catalog ↔ ticket has in `npm start`).
 * On PGlite's single connection, a relay that held its transaction across the delivery locked the
 * whole database: clients waited behind it and failed with P2028 ("Unable to start a transaction in
 * the given time"), and the subscriber's write-back failed too, so the batch was never published.
 * The scenario runs in its own process (support/relay-on-pglite.ts): PGlite needs
 * `--experimental-vm-modules` under jest.
 */
const ROOT = path.resolve(__dirname, "../..");

it("four clients and the subscriber all commit while catalog's relay delivers on PGlite", async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", path.join(__dirname, "support/relay-on-pglite.ts")],
    { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: "" }, timeout: 90_000 },
  );
  const outcome = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
  expect(outcome).toEqual({
    clientTransactions: 40,
    clientFailures: [],
    committedDuringDelivery: expect.any(Number),
    subscriberWrite: "committed",
    published: 1,
  });
  // The clients were really concurrent with the delivery, not run after it.
  expect(outcome.committedDuringDelivery).toBeGreaterThan(0);
});
