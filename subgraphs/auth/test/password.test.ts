import { hashPassword, PasswordHasher, verifyPassword } from "../src/domain/password.ts";

// Low cost keeps unit tests fast; the format stores the cost, so verification is cost-independent.
const cost = { log2N: 10, r: 8, p: 1 };

describe("password hashing", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const stored = await hashPassword("correct horse 1", cost);
    expect(stored).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    await expect(verifyPassword("correct horse 1", stored)).resolves.toBe(true);
    await expect(verifyPassword("correct horse 2", stored)).resolves.toBe(false);
  });

  it("salts: the same password hashes differently each time", async () => {
    const a = await hashPassword("same-password-1", cost);
    const b = await hashPassword("same-password-1", cost);
    expect(a).not.toBe(b);
    await expect(verifyPassword("same-password-1", b)).resolves.toBe(true);
  });

  it("verifies a hash made with a different cost (cost can be raised later)", async () => {
    const stronger = await new PasswordHasher({ log2N: 12, r: 8, p: 1 }).hash("upgrade-me-1");
    await expect(new PasswordHasher(cost).verify("upgrade-me-1", stronger)).resolves.toBe(true);
  });

  it("treats malformed or hostile stored hashes as a mismatch", async () => {
    await expect(verifyPassword("x", "")).resolves.toBe(false);
    await expect(verifyPassword("x", "bcrypt$whatever")).resolves.toBe(false);
    // An absurd cost would let a corrupted row burn CPU and memory: refused.
    await expect(verifyPassword("x", "scrypt$30$8$1$c2FsdA==$aGFzaA==")).resolves.toBe(false);
  });

  it("normalizes Unicode so the same visible password verifies", async () => {
    const stored = await hashPassword("caf\u00e9-pass-1", cost);
    await expect(verifyPassword("cafe\u0301-pass-1", stored)).resolves.toBe(true);
  });
});
