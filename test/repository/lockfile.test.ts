import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { missingOptionalEntries } from "../../scripts/lockfile-complete.ts";

/** `npm ci` on a fresh clone needs every optional platform package listed (see the script). */
describe("package-lock.json", () => {
  it("lists every optional platform package, so npm ci accepts it", () => {
    const lock = JSON.parse(readFileSync(path.resolve(__dirname, "../../package-lock.json"), "utf8"));
    expect(Object.keys(missingOptionalEntries(lock.packages))).toEqual([]);
  });

  it("derives the platform of an added entry from its name", () => {
    const missing = missingOptionalEntries({
      "node_modules/@swc/core": {
        version: "1.0.0",
        dev: true,
        optionalDependencies: { "@swc/core-darwin-arm64": "1.0.0" },
      },
    });
    expect(missing["node_modules/@swc/core-darwin-arm64"]).toEqual({
      version: "1.0.0",
      dev: true,
      optional: true,
      os: ["darwin"],
      cpu: ["arm64"],
    });
  });
});

describe("workspaces in the lockfile", () => {
  it("lists every workspace package, so npm ci on a fresh clone accepts it", () => {
    const root = path.resolve(__dirname, "../..");
    const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
      packages: Record<string, unknown>;
    };
    const workspaces = [
      "gateway",
      ...["packages", "subgraphs"].flatMap((dir) =>
        readdirSync(path.join(root, dir), { withFileTypes: true })
          .filter((e) => e.isDirectory() && existsSync(path.join(root, dir, e.name, "package.json")))
          .map((e) => `${dir}/${e.name}`),
      ),
    ];
    expect(workspaces.filter((w) => !(w in lock.packages))).toEqual([]);
  });
});
