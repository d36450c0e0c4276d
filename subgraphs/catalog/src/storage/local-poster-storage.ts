import { createHmac, timingSafeEqual } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Express, Request, Response } from "express";
import { POSTER_KEY, POSTER_TYPES, type PosterStorage, type PresignedUpload } from "./poster-storage.ts";

/**
 * Posters in a local directory (the default, and the embedded mode). Upload URLs are signed with an
 * HMAC over key, content type, length and expiry, so the catalog's own `PUT /uploads/...` accepts
 * exactly the upload it authorised; `GET /media/...` serves the files.
 */
export class LocalPosterStorage implements PosterStorage {
  constructor(
    private readonly directory: string,
    /** Read when a URL is made: the listening port may only be known after start-up. */
    private readonly publicBaseUrl: () => string,
    private readonly secret: string,
  ) {}

  async presignUpload(
    key: string,
    contentType: string,
    contentLength: number,
    expiresAt: Date,
  ): Promise<PresignedUpload> {
    const expires = Math.floor(expiresAt.getTime() / 1000);
    const signature = this.sign(key, contentType, contentLength, expires);
    const query = new URLSearchParams({
      expires: String(expires),
      length: String(contentLength),
      sig: signature,
    });
    return {
      url: `${this.publicBaseUrl()}/uploads/${key}?${query}`,
      method: "PUT",
      headers: { "content-type": contentType },
    };
  }

  async exists(key: string): Promise<boolean> {
    return POSTER_KEY.test(key) && existsSync(this.fileOf(key));
  }

  publicUrl(key: string): string {
    return `${this.publicBaseUrl()}/media/${key}`;
  }

  /** Mounts the upload and download endpoints on the subgraph's HTTP server. */
  mount(app: Express): void {
    app.put(/^\/uploads\/(posters\/[^/]+)$/, (req, res) => void this.receive(req, res));
    app.get(/^\/media\/(posters\/[^/]+)$/, (req, res) => void this.serve(req, res));
  }

  private async receive(req: Request, res: Response): Promise<void> {
    const key = (req.params as Record<string, string>)[0] ?? "";
    const expires = Number(req.query.expires);
    const length = Number(req.query.length);
    const contentType = req.header("content-type") ?? "";
    const signature = String(req.query.sig ?? "");
    const expected = this.sign(key, contentType, length, expires);
    const valid =
      POSTER_KEY.test(key) &&
      signature.length === expected.length &&
      timingSafeEqual(Buffer.from(signature), Buffer.from(expected)) &&
      expires * 1000 > Date.now();
    if (!valid) {
      res.status(403).json({ error: "upload URL invalid or expired" });
      return;
    }
    if (Number(req.header("content-length")) !== length) {
      res.status(400).json({ error: `content-length must be ${length}` });
      return;
    }
    const file = this.fileOf(key);
    const partial = `${file}.${process.pid}.${Date.now()}.part`;
    await mkdir(path.dirname(file), { recursive: true });
    let received = 0;
    const out = createWriteStream(partial);
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > length) req.destroy();
    });
    req.pipe(out);
    out.on("finish", async () => {
      if (received !== length) {
        await rm(partial, { force: true });
        res.status(400).json({ error: "body does not match the signed length" });
        return;
      }
      await rename(partial, file); // atomic: readers never see half a file
      res.status(201).json({ key });
    });
    req.on("error", () => void rm(partial, { force: true }));
  }

  private async serve(req: Request, res: Response): Promise<void> {
    const key = (req.params as Record<string, string>)[0] ?? "";
    const file = this.fileOf(key);
    if (!POSTER_KEY.test(key) || !(await stat(file).catch(() => null))) {
      res.status(404).end();
      return;
    }
    const ext = key.split(".").pop();
    const type = Object.entries(POSTER_TYPES).find(([, e]) => e === ext)?.[0] ?? "application/octet-stream";
    res.setHeader("content-type", type);
    res.setHeader("cache-control", "public, max-age=31536000, immutable");
    res.setHeader("x-content-type-options", "nosniff");
    createReadStream(file).pipe(res);
  }

  private sign(key: string, contentType: string, length: number, expires: number): string {
    return createHmac("sha256", this.secret)
      .update(`${key}\n${contentType}\n${length}\n${expires}`)
      .digest("base64url");
  }

  private fileOf(key: string): string {
    return path.join(this.directory, key);
  }
}
