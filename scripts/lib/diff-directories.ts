import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** Relative paths that differ between two trees (missing on either side, or other content). */
export function diffDirectories(expected: string, actual: string): string[] {
  const files = (root: string): string[] =>
    existsSync(root)
      ? readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) =>
          statSync(path.join(root, f)).isFile(),
        )
      : [];
  const all = new Set([...files(expected), ...files(actual)]);
  return [...all]
    .filter((file) => {
      const a = path.join(expected, file);
      const b = path.join(actual, file);
      return !existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b));
    })
    .sort();
}
