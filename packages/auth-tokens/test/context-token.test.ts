import {
  ANONYMOUS,
  ContextTokenSigner,
  ContextTokenVerifier,
  generateSigningKeyPair,
  importSigningKey,
  importVerifyingKey,
  signAccessToken,
  signContextToken,
  verifyContextToken,
} from "../src/index.ts";

async function keyPair() {
  const pair = await generateSigningKeyPair();
  return {
    signing: await importSigningKey(pair.privateKeyPem),
    verifying: await importVerifyingKey(pair.publicKeyPem),
  };
}

describe("gateway context token", () => {
  const viewer = { authenticated: true as const, userId: "u-1", email: "a@urr.test", role: "ADMIN" as const };

  it("carries an authenticated viewer", async () => {
    const { signing, verifying } = await keyPair();
    await expect(verifyContextToken(await signContextToken(viewer, signing), verifying)).resolves.toEqual(
      viewer,
    );
  });

  it("carries an anonymous viewer", async () => {
    const { signing, verifying } = await keyPair();
    await expect(verifyContextToken(await signContextToken(ANONYMOUS, signing), verifying)).resolves.toEqual(
      ANONYMOUS,
    );
  });

  it("refuses a context signed by anyone but the gateway", async () => {
    const gateway = await keyPair();
    const attacker = await keyPair();
    const token = await signContextToken(viewer, attacker.signing);
    await expect(verifyContextToken(token, gateway.verifying)).rejects.toThrow(/invalid context token/);
    await expect(new ContextTokenVerifier(gateway.verifying).verify(token)).rejects.toThrow(
      /invalid context token/,
    );
  });

  it("refuses a user access token presented as a context token (wrong type and audience)", async () => {
    const shared = await keyPair();
    const { token } = await signAccessToken(
      { userId: "u-1", email: "a@urr.test", role: "ADMIN" },
      shared.signing,
      60,
    );
    await expect(verifyContextToken(token, shared.verifying)).rejects.toThrow(/invalid context token/);
  });

  it("signs once per viewer and reuses the token; different viewers get different tokens", async () => {
    const { signing, verifying } = await keyPair();
    const signer = new ContextTokenSigner(signing);
    const first = await signer.sign(viewer);
    expect(await signer.sign({ ...viewer })).toBe(first);
    const other = await signer.sign({ ...viewer, userId: "u-2" });
    expect(other).not.toBe(first);
    expect(await signer.sign({ ...viewer, role: "USER" })).not.toBe(first);
    const verifier = new ContextTokenVerifier(verifying);
    await expect(verifier.verify(other)).resolves.toMatchObject({ userId: "u-2" });
    await expect(verifier.verify(other)).resolves.toMatchObject({ userId: "u-2" }); // from the cache
  });
});
