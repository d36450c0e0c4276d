import { generateSigningKeyPair, importSigningKey } from "@urr/auth-tokens";
import { connectPgRunner, type Database, openDatabase, type SqlRunner } from "@urr/db";
import { createLogger } from "@urr/logger";
import { createTestDatabase, type TestDatabase } from "@urr/testkit";
import { AuthService } from "../src/domain/auth.service.ts";
import type { GoogleIdTokenVerifier } from "../src/domain/google-id-token.ts";
import { PasswordHasher } from "../src/domain/password.ts";
import { TokenIssuer } from "../src/domain/token-issuer.ts";
import type { UserRecord } from "../src/domain/user.ts";
import { AuthStore } from "../src/repositories/auth-store.ts";
import { createPrismaClient, type PrismaClient } from "../src/repositories/prisma.ts";

/**
 * Hashing and token signing wait for Node's thread pool, which a burst of sign-ins keeps busy; a
 * transaction open meanwhile holds a pooled connection (on PGlite, the whole database) until Prisma
 * gives up (P2028). So a sign-in must hold no transaction while it hashes or signs. The hasher and
 * the token issuer below are the real ones; they only record, when called, how many transactions
 * this database has open (pg_stat_activity).
 */
let database: TestDatabase;
let db: Database;
let prisma: PrismaClient;
let observer: SqlRunner;
let service: AuthService;
const openTransactionsSeen: { during: string; open: number }[] = [];

async function recordOpenTransactions(during: string) {
  const [row] = await observer.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`,
  );
  openTransactionsSeen.push({ during, open: Number(row?.n) });
}

class RecordingHasher extends PasswordHasher {
  override async hash(password: string) {
    await recordOpenTransactions("hash");
    return super.hash(password);
  }
  override async verify(password: string, stored: string) {
    await recordOpenTransactions("verify");
    return super.verify(password, stored);
  }
}

class RecordingTokenIssuer extends TokenIssuer {
  override async accessToken(user: UserRecord, now: Date) {
    await recordOpenTransactions("sign");
    return super.accessToken(user, now);
  }
}

beforeAll(async () => {
  database = await createTestDatabase("auth");
  db = await openDatabase({ kind: "postgres", url: database.url, poolSize: 4 });
  prisma = createPrismaClient(db);
  observer = await connectPgRunner(database.url);
  const key = await importSigningKey((await generateSigningKeyPair()).privateKeyPem);
  service = new AuthService({
    store: new AuthStore(prisma),
    passwords: new RecordingHasher({ log2N: 10, r: 8, p: 1 }),
    tokens: new RecordingTokenIssuer(key, { accessTokenTtlSeconds: 60, refreshTokenTtlSeconds: 600 }),
    google: {} as GoogleIdTokenVerifier,
    logger: createLogger("test", { level: "silent" }),
  });
});
afterAll(async () => {
  await observer?.close();
  await prisma?.$disconnect();
  await db?.close();
  await database?.drop();
});
beforeEach(() => {
  openTransactionsSeen.length = 0;
});

describe("a sign-in holds no transaction while it hashes or signs", () => {
  it("register", async () => {
    await service.register({ email: "tx-register@urr.test", password: "goodpass1", name: "Fan" });
    expect(openTransactionsSeen).toEqual([
      { during: "hash", open: 0 },
      { during: "sign", open: 0 },
    ]);
  });

  it("login", async () => {
    await service.register({ email: "tx-login@urr.test", password: "goodpass1", name: "Fan" });
    openTransactionsSeen.length = 0;
    await service.login("tx-login@urr.test", "goodpass1");
    expect(openTransactionsSeen).toEqual([
      { during: "verify", open: 0 },
      { during: "sign", open: 0 },
    ]);
  });

  it("refresh", async () => {
    const signedIn = await service.register({
      email: "tx-refresh@urr.test",
      password: "goodpass1",
      name: "Fan",
    });
    openTransactionsSeen.length = 0;
    const rotated = await service.refresh(signedIn.refreshToken.token);
    expect(rotated.refreshToken.token).not.toBe(signedIn.refreshToken.token);
    expect(openTransactionsSeen).toEqual([{ during: "sign", open: 0 }]);
  });
});
