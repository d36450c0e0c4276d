/**
 * The npm registry these machines reach serves only the Linux builds of platform-specific optional
 * packages (swc, biome, esbuild, …), so `npm install` here writes a lockfile without the others,
 * and `npm ci` then refuses it as out of sync with package.json. This adds the missing entries as
 * what they are: optional packages for other platforms (os/cpu read from the package name), which
 * npm skips on Linux and installs on the platform they are for.
 *
 *   npm run lockfile:complete            add the missing entries
 *   npm run lockfile:complete -- --check exit 1 when entries are missing
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  optionalDependencies?: Record<string, string>;
}

const OS = [
  "darwin",
  "linux",
  "win32",
  "android",
  "freebsd",
  "openbsd",
  "netbsd",
  "sunos",
  "aix",
  "openharmony",
];
const CPU = ["arm64", "x64", "ia32", "arm", "ppc64", "s390x", "riscv64", "loong64", "mips64el", "wasm32"];

function platformOf(name: string): Pick<LockEntry, "os" | "cpu"> {
  const parts = (name.split("/").pop() ?? "").split("-");
  const os = OS.find((o) => parts.includes(o));
  const cpu = CPU.find((c) => parts.includes(c));
  return { ...(os ? { os: [os] } : {}), ...(cpu ? { cpu: [cpu] } : {}) };
}

export function missingOptionalEntries(packages: Record<string, LockEntry>): Record<string, LockEntry> {
  const missing: Record<string, LockEntry> = {};
  for (const [location, entry] of Object.entries(packages)) {
    for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
      const nested = location ? `${location}/node_modules/${name}` : `node_modules/${name}`;
      const hoisted = `node_modules/${name}`;
      if (packages[nested] || packages[hoisted] || missing[hoisted]) continue;
      missing[hoisted] = {
        version: range.replace(/^[\^~=]/, ""),
        ...(entry.dev ? { dev: true } : {}),
        optional: true,
        ...platformOf(name),
      };
    }
  }
  return missing;
}

if (require.main === module) {
  const file = path.resolve(__dirname, "../package-lock.json");
  const lock = JSON.parse(readFileSync(file, "utf8")) as { packages: Record<string, LockEntry> };
  const missing = missingOptionalEntries(lock.packages);
  const count = Object.keys(missing).length;
  if (process.argv.includes("--check")) {
    if (count)
      console.error(
        `package-lock.json lacks ${count} optional platform entries: run npm run lockfile:complete`,
      );
    process.exit(count ? 1 : 0);
  }
  lock.packages = { ...lock.packages, ...missing };
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`added ${count} optional platform entries to package-lock.json`);
}
