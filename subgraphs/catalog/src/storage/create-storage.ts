import { randomBytes } from "node:crypto";
import path from "node:path";
import type { CatalogConfig } from "../config.ts";
import { LocalPosterStorage } from "./local-poster-storage.ts";
import type { PosterStorage } from "./poster-storage.ts";
import { S3PosterStorage } from "./s3-poster-storage.ts";

export function createPosterStorage(
  config: CatalogConfig,
  root: string,
  selfUrl: () => string,
): PosterStorage {
  if (config.POSTER_STORAGE === "s3") {
    return new S3PosterStorage({
      endpoint: config.S3_ENDPOINT ?? "",
      region: config.S3_REGION,
      bucket: config.S3_BUCKET ?? "",
      accessKeyId: config.S3_ACCESS_KEY_ID ?? "",
      secretAccessKey: config.S3_SECRET_ACCESS_KEY ?? "",
      publicBaseUrl: config.S3_PUBLIC_URL ?? "",
      virtualHosted: config.S3_VIRTUAL_HOSTED,
    });
  }
  return new LocalPosterStorage(
    path.resolve(root, config.POSTER_DIR),
    () => (config.POSTER_PUBLIC_URL ?? selfUrl()).replace(/\/$/, ""),
    config.POSTER_SIGNING_SECRET ?? randomBytes(32).toString("hex"),
  );
}
