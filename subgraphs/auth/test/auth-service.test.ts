import { generateSigningKeyPair, importSigningKey } from "@urr/auth-tokens";
import { createLogger } from "@urr/logger";
import { AuthService } from "../src/domain/auth.service.ts";
import type { GoogleIdTokenVerifier } from "../src/domain/google-id-token.ts";
import type { PasswordHasher } from "../src/domain/password.ts";
import { TokenIssuer } from "../src/domain/token-issuer.ts";
import type { AuthStore } from "../src/repositories/auth-store.ts";

/**
 * Behaviour that does not need a database: the login path must do the same password work whether
 * or not the email exists, so response time does not reveal which accounts exist.
 */
async function serviceWith(credentials: { user: object; passwordHash: string | null } | null) {
  const passwords = { hash: jest.fn(async () => "scrypt$dummy"), verify: jest.fn(async () => false) };
  const store = {
    repos: { users: { findCredentials: jest.fn(async () => credentials) } },
  } as unknown as AuthStore;
  const key = await importSigningKey((await generateSigningKeyPair()).privateKeyPem);
  const service = new AuthService({
    store,
    passwords: passwords as unknown as PasswordHasher,
    tokens: new TokenIssuer(key, { accessTokenTtlSeconds: 60, refreshTokenTtlSeconds: 60 }),
    google: {} as GoogleIdTokenVerifier,
    logger: createLogger("test", { level: "silent" }),
  });
  return { service, passwords };
}

describe("login without account enumeration", () => {
  it("verifies against a dummy hash when the email is unknown, then fails generically", async () => {
    const { service, passwords } = await serviceWith(null);
    await expect(service.login("ghost@urr.test", "whatever1")).rejects.toMatchObject({
      message: "Invalid email or password",
      extensions: { code: "UNAUTHENTICATED" },
    });
    expect(passwords.verify).toHaveBeenCalledTimes(1);
    expect(passwords.verify).toHaveBeenCalledWith("whatever1", "scrypt$dummy");
  });

  it("fails with the same error for a wrong password", async () => {
    const { service, passwords } = await serviceWith({ user: { id: "u" }, passwordHash: "scrypt$real" });
    await expect(service.login("fan@urr.test", "wrongpass1")).rejects.toMatchObject({
      message: "Invalid email or password",
      extensions: { code: "UNAUTHENTICATED" },
    });
    expect(passwords.verify).toHaveBeenCalledWith("wrongpass1", "scrypt$real");
  });

  it("does the same work for a Google-only account (no password) and fails generically", async () => {
    const { service, passwords } = await serviceWith({ user: { id: "u" }, passwordHash: null });
    passwords.verify.mockResolvedValue(true); // even if the dummy hash somehow matched
    await expect(service.login("g@urr.test", "anything1")).rejects.toMatchObject({
      extensions: { code: "UNAUTHENTICATED" },
    });
    expect(passwords.verify).toHaveBeenCalledTimes(1);
  });

  it("refuses absurdly long passwords before hashing them", async () => {
    const { service, passwords } = await serviceWith(null);
    await expect(service.login("a@urr.test", "x".repeat(10_000))).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "input.password" },
    });
    expect(passwords.verify).not.toHaveBeenCalled();
  });
});
