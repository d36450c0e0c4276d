import { type CryptoKey, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI } from "jose";

/**
 * Every token URR signs (user access tokens, the gateway's context token, later entry tokens) uses
 * Ed25519: verifiers hold only a public key, so a compromised subgraph cannot mint tokens.
 */
export const SIGNING_ALGORITHM = "EdDSA";

export interface PemKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

export async function generateSigningKeyPair(): Promise<PemKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  return { privateKeyPem: await exportPKCS8(privateKey), publicKeyPem: await exportSPKI(publicKey) };
}

export function importSigningKey(pem: string): Promise<CryptoKey> {
  return importPKCS8(pem, SIGNING_ALGORITHM);
}

export function importVerifyingKey(pem: string): Promise<CryptoKey> {
  return importSPKI(pem, SIGNING_ALGORITHM);
}
