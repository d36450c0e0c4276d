import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Build outputs kept by a hash of what they were built from: `<outRoot>/<hash>/`, finished when it
 * holds a `complete` marker. One build of a source state, reused by every later start, test and
 * CI step that sees the same state; shared by the service bundles (build.ts) and the web pages
 * (web-build.ts).
 */

/** Builds kept besides the current one (another checkout state may be running from them). */
const KEEP_OLD_BUILDS = 2;
const COMPLETE = "complete";

export interface SourceWalk {
  /** Files whose name matches are hashed. */
  readonly include: RegExp;
  /** Directory names never walked into. */
  readonly skip: ReadonlySet<string>;
}

/** Every matching file under `dirs` (relative to `root`), absolute and sorted. */
export async function sourceFiles(
  root: string,
  dirs: readonly string[],
  walk: SourceWalk,
): Promise<string[]> {
  const files: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    const items = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const item of items) {
      const full = path.join(dir, item.name);
      if (item.isDirectory()) {
        if (!walk.skip.has(item.name)) await visit(full);
      } else if (walk.include.test(item.name)) files.push(full);
    }
  };
  for (const dir of dirs) await visit(path.join(root, dir));
  return files.sort();
}

/**
 * A short hash of the files' paths (relative to `root`) and contents, after `salt` (tool versions,
 * build settings). A missing file hashes as empty, so a deleted source is a change too.
 */
export async function hashOfFiles(
  root: string,
  files: readonly string[],
  salt: readonly (string | Buffer)[],
): Promise<string> {
  const hash = createHash("sha256");
  for (const part of salt) {
    hash.update(part);
    hash.update("\0");
  }
  const contents = await Promise.all(files.map((file) => readFile(file).catch(() => Buffer.alloc(0))));
  files.forEach((file, i) => {
    hash.update(`${path.relative(root, file)}\0`);
    hash.update(contents[i] as Buffer);
    hash.update("\0");
  });
  return hash.digest("hex").slice(0, 16);
}

/** Whether a finished build is in `outDir`. */
export function isCompleteBuild(outDir: string): boolean {
  return existsSync(path.join(outDir, COMPLETE));
}

/** A directory beside `outDir` to build into; `publishBuild` moves it into place. */
export function temporaryBuildDir(outDir: string): string {
  return `${outDir}.tmp-${process.pid}-${Date.now()}`;
}

/**
 * Marks a build finished and renames it into `outDir` in one step, so nobody ever serves or runs
 * half a build; when another process published the same hash first, its build is kept and ours
 * dropped. Older builds beyond the last few are removed.
 */
export async function publishBuild(temporary: string, outDir: string, marker: string): Promise<void> {
  await writeFile(path.join(temporary, COMPLETE), marker);
  try {
    await rename(temporary, outDir);
  } catch {
    await rm(temporary, { recursive: true, force: true });
  }
  await pruneOldBuilds(path.dirname(outDir), path.basename(outDir));
}

/** Drops a build that will not be published. */
export async function discardBuild(temporary: string): Promise<void> {
  await rm(temporary, { recursive: true, force: true });
}

/**
 * Runs `build` unless another live process is building the same `outDir`; then waits for that one
 * instead, so two starts or test workers on one checkout build a source state once between them.
 * The lock is a directory (created atomically) naming its owner's pid; a lock whose owner died is
 * taken over.
 */
export async function buildOnceAcrossProcesses(
  outDir: string,
  build: () => Promise<void>,
  pollMs = 250,
): Promise<"built" | "waited"> {
  const lock = `${outDir}.lock`;
  await mkdir(path.dirname(outDir), { recursive: true });
  for (;;) {
    if (isCompleteBuild(outDir)) return "waited";
    try {
      await mkdir(lock);
    } catch {
      if (!(await ownerAlive(lock))) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, pollMs));
      continue;
    }
    try {
      await writeFile(path.join(lock, "pid"), String(process.pid));
      if (isCompleteBuild(outDir)) return "waited";
      await build();
      return "built";
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
}

/** A lock this old was left behind whatever its pid says (the pid may have been reused). */
const LOCK_MAX_AGE_MS = 15 * 60_000;

async function ownerAlive(lock: string): Promise<boolean> {
  const created = await stat(lock).catch(() => undefined);
  if (!created) return false;
  const age = Date.now() - created.mtimeMs;
  if (age > LOCK_MAX_AGE_MS) return false;
  const pid = Number(await readFile(path.join(lock, "pid"), "utf8").catch(() => ""));
  // Just created and the pid not written yet; empty for longer means its owner died at once.
  if (!pid) return age < 10_000;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function pruneOldBuilds(outRoot: string, current: string): Promise<void> {
  const items = await readdir(outRoot, { withFileTypes: true }).catch(() => []);
  const old = await Promise.all(
    items
      .filter((item) => item.isDirectory() && item.name !== current && !item.name.endsWith(".lock"))
      .map(async (item) => {
        const dir = path.join(outRoot, item.name);
        return { dir, partial: item.name.includes(".tmp-"), mtime: (await stat(dir)).mtimeMs };
      }),
  );
  // A partial build an hour old was left by a start that died while building.
  const abandoned = old.filter((b) => b.partial && Date.now() - b.mtime > 3_600_000);
  const finished = old.filter((b) => !b.partial).sort((a, b) => b.mtime - a.mtime);
  for (const { dir } of [...abandoned, ...finished.slice(KEEP_OLD_BUILDS)]) {
    await rm(dir, { recursive: true, force: true });
  }
}
