import { readFileSync } from "node:fs";
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
