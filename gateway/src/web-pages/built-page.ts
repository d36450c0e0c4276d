import { readFile } from "node:fs/promises";
import path from "node:path";
import express, { type RequestHandler, type Response } from "express";

/**
 * What the gateway's browser pages share (the schema explorer at /graphql, the live demo at /demo):
 * each is a Vite build of web/<page>/ in a directory the gateway is given (index.html, assets/),
 * which may appear after the gateway starts (`npm start` builds in the background). Until it does,
 * a self-refreshing "being prepared" page; without a directory at all, a "not installed" page.
 */

/**
 * Only this origin: the page's scripts and workers, its style sheets (Monaco also sets inline
 * styles), fonts and icons as data: URLs, and GraphQL over fetch and graphql-ws to this gateway
 * ('self' covers ws:/wss: to the same host). Never framed (their buttons run mutations as the viewer).
 */
export const SAME_ORIGIN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The two pages a browser gets while a build is not there: both self-contained HTML. */
export interface MissingBuildPages {
  readonly preparing: string;
  readonly notInstalled: string;
}

/** Reads a build's index.html once it exists (read once: a new build comes with a new directory). */
export function builtPage(dir: string): () => Promise<Buffer | undefined> {
  let html: Buffer | undefined;
  return async () => {
    if (html) return html;
    try {
      html = await readFile(path.join(dir, "index.html"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    return html;
  };
}

/**
 * Answers with the built page under SAME_ORIGIN_CSP, revalidated on every visit (the next build's
 * file names are only known from it), or with the page saying why it is not there (never cached).
 */
export async function sendBuiltPage(
  res: Response,
  page: (() => Promise<Buffer | undefined>) | undefined,
  missing: MissingBuildPages,
): Promise<void> {
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "same-origin");
  res.type("html");
  if (!page) {
    res.setHeader("cache-control", "no-store");
    res.status(404).send(missing.notInstalled);
    return;
  }
  const html = await page();
  if (!html) {
    res.setHeader("cache-control", "no-store");
    res.status(200).send(missing.preparing);
    return;
  }
  res.setHeader("cache-control", "no-cache");
  res.setHeader("content-security-policy", SAME_ORIGIN_CSP);
  res.status(200).send(html);
}

/** A build's assets/ (named by content hash), cached for good; a missing file is a 404, never the page. */
export function hashedAssets(dir: string): RequestHandler {
  return express.static(path.join(dir, "assets"), {
    index: false,
    fallthrough: false,
    immutable: true,
    maxAge: "365d",
    setHeaders: (res) => res.setHeader("x-content-type-options", "nosniff"),
  });
}
