import { createHash, createHmac } from "node:crypto";
import type { PosterStorage, PresignedUpload } from "./poster-storage.ts";

export interface S3Config {
  /** e.g. https://s3.ap-northeast-2.amazonaws.com or a MinIO/R2 endpoint. */
  endpoint: string;
  /** `bucket.host/key` (AWS default) instead of `host/bucket/key` (MinIO and most others). */
  virtualHosted?: boolean;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where uploaded objects are publicly readable (a CDN in front of the bucket, usually). */
  publicBaseUrl: string;
}

const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * S3-compatible storage, with upload URLs pre-signed by AWS Signature V4 (query-string form). The
 * content type and exact length are signed headers, so the storage refuses any other upload.
 */
export class S3PosterStorage implements PosterStorage {
  constructor(
    private readonly config: S3Config,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async presignUpload(
    key: string,
    contentType: string,
    contentLength: number,
    expiresAt: Date,
  ): Promise<PresignedUpload> {
    const headers = { "content-length": String(contentLength), "content-type": contentType };
    const seconds = Math.max(1, Math.floor((expiresAt.getTime() - this.now().getTime()) / 1000));
    return { url: this.presign("PUT", key, headers, seconds), method: "PUT", headers };
  }

  async exists(key: string): Promise<boolean> {
    const response = await fetch(this.presign("HEAD", key, {}, 60), {
      method: "HEAD",
      signal: AbortSignal.timeout(5000),
    });
    return response.ok;
  }

  publicUrl(key: string): string {
    return `${this.config.publicBaseUrl.replace(/\/$/, "")}/${key}`;
  }

  /** The SigV4 query-string signature (AWS docs: "Authenticating Requests: Using Query Parameters"). */
  presign(
    method: string,
    key: string,
    signedHeaders: Record<string, string>,
    expiresInSeconds: number,
  ): string {
    const { endpoint, region, bucket, accessKeyId, secretAccessKey } = this.config;
    const url = new URL(endpoint);
    if (this.config.virtualHosted) url.host = `${bucket}.${url.host}`;
    const amzDate = this.now()
      .toISOString()
      .replace(/[-:]|\.\d{3}/g, "");
    const day = amzDate.slice(0, 8);
    const scope = `${day}/${region}/s3/aws4_request`;
    const objectPath = key.split("/").map(encode).join("/");
    const path = this.config.virtualHosted ? `/${objectPath}` : `/${encode(bucket)}/${objectPath}`;
    const headers: Record<string, string> = { host: url.host, ...signedHeaders };
    const headerNames = Object.keys(headers)
      .map((h) => h.toLowerCase())
      .sort();
    const query: Record<string, string> = {
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": `${accessKeyId}/${scope}`,
      "X-Amz-Date": amzDate,
      "X-Amz-Expires": String(Math.min(expiresInSeconds, 604_800)),
      "X-Amz-SignedHeaders": headerNames.join(";"),
    };
    const canonicalQuery = Object.keys(query)
      .sort()
      .map((k) => `${encode(k)}=${encode(query[k] ?? "")}`)
      .join("&");
    const canonicalHeaders = headerNames.map((h) => `${h}:${String(headers[h]).trim()}\n`).join("");
    const canonicalRequest = [
      method,
      path,
      canonicalQuery,
      canonicalHeaders,
      headerNames.join(";"),
      "UNSIGNED-PAYLOAD",
    ].join("\n");
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
    const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), "s3"), "aws4_request");
    const signature = createHmac("sha256", signingKey).update(stringToSign).digest("hex");
    return `${url.origin}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
  }
}
