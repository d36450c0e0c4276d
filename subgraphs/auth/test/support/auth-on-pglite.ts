/**
 * Run as its own process by auth-on-pglite.int.test.ts (PGlite needs `--experimental-vm-modules`
 * under jest, so it runs here under tsx). The auth subgraph in embedded mode — PGlite, one
 * connection — wired by startAuthApp as `npm start` wires it, production scrypt cost, a small hashing
 * gate. Prints one JSON line: how each burst was answered.
 *
 * 1. 120 concurrent registrations, then 200 concurrent logins, over HTTP with a gateway context.
 * 2. Twelve transactions at once queued on the one connection (the last waits ~2.4 s, past
 *    Prisma's 2 s default maxWait), through the same Database the app opens.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateSigningKeyPair } from "@urr/auth-tokens";
import { openDatabase } from "@urr/db";
import { createLogger } from "@urr/logger";
import { graphqlRequest, TestGatewayIdentity } from "@urr/testkit";
import { startAuthApp } from "../../src/app.ts";
import { loadAuthConfig } from "../../src/config.ts";
import { createPrismaClient } from "../../src/repositories/prisma.ts";

const REGISTER =
  'mutation($e: String!) { register(input: { email: $e, password: "goodpass1", name: "Fan" }) { user { id } } }';
const LOGIN = 'mutation($e: String!) { login(input: { email: $e, password: "goodpass1" }) { user { id } } }';

type Tally = Record<string, number>;

/** "OK", "SERVICE_UNAVAILABLE+retryAfter", or what else came back (status and code). */
function outcomeOf(res: Awaited<ReturnType<typeof graphqlRequest>>, field: string): string {
  const error = res.errors?.[0];
  if (res.status === 200 && !res.errors && (res.data as Record<string, unknown> | null)?.[field]) return "OK";
  const retryAfter = error?.extensions?.retryAfterSeconds;
  if (
    res.status === 200 &&
    error?.extensions?.code === "SERVICE_UNAVAILABLE" &&
    Number.isInteger(retryAfter) &&
    (retryAfter as number) >= 1
  )
    return "SERVICE_UNAVAILABLE+retryAfter";
  return `${res.status} ${String(error?.extensions?.code)}`;
}

function tally(outcomes: string[]): Tally {
  const t: Tally = {};
  for (const o of outcomes) t[o] = (t[o] ?? 0) + 1;
  return t;
}

async function bursts(dataDir: string) {
  const gateway = await TestGatewayIdentity.create();
  const access = await generateSigningKeyPair();
  const config = loadAuthConfig({
    PGLITE_DATA_DIR: dataDir,
    PORT: "0",
    LOG_LEVEL: "silent",
    CONTEXT_TOKEN_PUBLIC_KEY: gateway.keys.publicKeyPem,
    ACCESS_TOKEN_PRIVATE_KEY: access.privateKeyPem,
    PASSWORD_HASH_LOG2N: "15",
    PASSWORD_HASH_CONCURRENCY: "2",
    PASSWORD_HASH_QUEUE_LIMIT: "12",
    PASSWORD_HASH_QUEUE_TIMEOUT_MS: "1500",
  });
  const app = await startAuthApp(config, createLogger("auth", { level: "silent" }));
  try {
    const call = async (query: string, e: string) =>
      graphqlRequest(app.subgraph.url, query, { e }, { headers: await gateway.headersFor() });
    const emails = Array.from({ length: 120 }, (_, i) => `pglite-${i}@urr.test`);
    const registered = await Promise.all(emails.map((e) => call(REGISTER, e)));
    const registerOutcomes = registered.map((r) => outcomeOf(r, "register"));
    const accounts = emails.filter((_, i) => registerOutcomes[i] === "OK");
    const logins = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        call(LOGIN, accounts[i % Math.max(1, accounts.length)] ?? "none"),
      ),
    );
    return { register: tally(registerOutcomes), login: tally(logins.map((r) => outcomeOf(r, "login"))) };
  } finally {
    await app.stop();
  }
}

/**
 * Twelve clients start a transaction each at once; each holds the one connection for ~200 ms of
 * wall time between its statements (the event loop serving other requests meanwhile), so the last
 * waits ~2.4 s for its turn. Each waits in arrival order and commits, or fails with a code.
 */
async function queuedTransactions(dataDir: string) {
  const database = await openDatabase({ kind: "pglite", dataDir });
  const prisma = createPrismaClient(database);
  try {
    const committed: number[] = [];
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, client) => {
        try {
          await prisma.$transaction(async (tx) => {
            await tx.$queryRawUnsafe("SELECT 1 AS first");
            await new Promise((r) => setTimeout(r, 200));
            await tx.$queryRawUnsafe("SELECT 2 AS second");
          });
          committed.push(client);
        } catch (error) {
          failures.push((error as { code?: string }).code ?? (error as Error).message);
        }
      }),
    );
    return { committed, failures };
  } finally {
    await prisma.$disconnect();
    await database.close();
  }
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "urr-auth-pglite-"));
  try {
    const burst = await bursts(dataDir);
    const queue = await queuedTransactions(dataDir);
    process.stdout.write(`${JSON.stringify({ ...burst, queue })}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
