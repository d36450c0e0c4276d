import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Embedded mode (PGlite, one connection), as `npm start` runs auth: bursts of sign-ins with the
 * production scrypt cost answer a success or SERVICE_UNAVAILABLE with retryAfterSeconds, never an
 * internal error; and transactions queued on the one connection wait their turn in arrival order
 * instead of failing with P2028 after Prisma's 2 s default. The scenario runs in its own process
 * (support/auth-on-pglite.ts): PGlite needs `--experimental-vm-modules` under jest.
 */
const ROOT = path.resolve(__dirname, "../../..");

it("bursts of sign-ins and queued transactions on embedded PGlite", async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", path.join(__dirname, "support/auth-on-pglite.ts")],
    { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: "" }, timeout: 240_000 },
  );
  const outcome = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
  // Only the two outcomes, and both of them (the gate was really exercised).
  for (const burst of [outcome.register, outcome.login]) {
    expect(Object.keys(burst).sort()).toEqual(["OK", "SERVICE_UNAVAILABLE+retryAfter"]);
  }
  expect(outcome.register.OK + outcome.register["SERVICE_UNAVAILABLE+retryAfter"]).toBe(120);
  expect(outcome.login.OK + outcome.login["SERVICE_UNAVAILABLE+retryAfter"]).toBe(200);
  expect(outcome.queue).toEqual({ committed: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], failures: [] });
}, 300_000);
