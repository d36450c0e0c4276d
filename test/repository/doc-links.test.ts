import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * A document that points at a file the repository does not have sends its reader nowhere (the
 * architecture page once cited an analysis that lives outside the repository). Every relative link
 * in every tracked Markdown file must resolve.
 */
const ROOT = path.resolve(__dirname, "../..");
const markdown = execFileSync("git", ["ls-files", "-z", "*.md"], { cwd: ROOT, encoding: "utf8" })
  .split("\0")
  .filter(Boolean);

/**
 * Relative link targets of a Markdown text: `[text](target)` without anchors or titles, and paths
 * written as code that climb out of the document's folder (`` `../x/y.txt` ``).
 */
function relativeLinks(text: string): string[] {
  const links = [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => (m[1] ?? "").split("#")[0] ?? "")
    .filter((target) => target !== "" && !/^[a-z][a-z0-9+.-]*:/i.test(target));
  const climbing = [...text.matchAll(/`(\.\.\/[^`\s]+)`/g)].map((m) => m[1] ?? "");
  return [...links, ...climbing];
}

describe("links in the documents", () => {
  it("finds the documents", () => {
    expect(markdown).toContain("docs/ARCHITECTURE.md");
  });

  it("resolve to files in the repository", () => {
    const broken = markdown.flatMap((file) =>
      relativeLinks(readFileSync(path.join(ROOT, file), "utf8"))
        .filter((target) => !existsSync(path.resolve(ROOT, path.dirname(file), target)))
        .map((target) => `${file} → ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it("reads link targets the way Markdown writes them", () => {
    expect(
      relativeLinks('see [a](docs/A.md#x), [b](https://x.test/b), [c](../c.md "title") and [d](#top)'),
    ).toEqual(["docs/A.md", "../c.md"]);
  });
});
