import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { generateSigningKeyPair, type PemKeyPair } from "@urr/auth-tokens";

/** Key pairs the services need; for local runs they are generated once into the data directory. */
export interface ServiceKeys {
  access: PemKeyPair;
  context: PemKeyPair;
  /** Signs ticket codes; door scanners hold the public key. */
  ticketCodes: PemKeyPair;
  /** Signs the waiting room's entry tokens (queue); ticket holds the public key. */
  entry: PemKeyPair;
}

async function loadOrCreate(dir: string, name: string): Promise<PemKeyPair> {
  const privatePath = path.join(dir, `${name}.private.pem`);
  const publicPath = path.join(dir, `${name}.public.pem`);
  if (existsSync(privatePath) && existsSync(publicPath)) {
    return {
      privateKeyPem: await readFile(privatePath, "utf8"),
      publicKeyPem: await readFile(publicPath, "utf8"),
    };
  }
  const pair = await generateSigningKeyPair();
  await writeFile(privatePath, pair.privateKeyPem, { mode: 0o600 });
  await writeFile(publicPath, pair.publicKeyPem);
  return pair;
}

export async function devKeys(dir: string): Promise<ServiceKeys> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return {
    access: await loadOrCreate(dir, "access-token"),
    context: await loadOrCreate(dir, "context-token"),
    ticketCodes: await loadOrCreate(dir, "ticket-code"),
    entry: await loadOrCreate(dir, "entry-token"),
  };
}

export async function ephemeralKeys(): Promise<ServiceKeys> {
  return {
    access: await generateSigningKeyPair(),
    context: await generateSigningKeyPair(),
    ticketCodes: await generateSigningKeyPair(),
    entry: await generateSigningKeyPair(),
  };
}
