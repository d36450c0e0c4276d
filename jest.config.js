// @ts-check
// Test tiers are named by file: *.test.ts run in-process, *.int.test.ts against real PostgreSQL
// (and later Redis/Kafka), *.e2e.test.ts start real processes and talk HTTP to the gateway.

/** @type {import("jest").Config} */
const base = {
  transform: {
    "^.+\\.(t|j)sx?$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
  },
  // jose 6 ships ESM only; transpile it with the project's code.
  transformIgnorePatterns: ["/node_modules/(?!(jose)/)"],
  testEnvironment: "node",
  moduleFileExtensions: ["ts", "js", "json", "mjs", "cjs"],
  roots: [
    "<rootDir>/packages",
    "<rootDir>/gateway",
    "<rootDir>/subgraphs",
    "<rootDir>/test",
    "<rootDir>/bench",
  ],
};

const slow = "<rootDir>/test/setup-slow-tier.js";

/** @type {import("jest").Config} */
module.exports = {
  projects: [
    {
      ...base,
      displayName: "unit",
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["\\.int\\.test\\.ts$", "\\.e2e\\.test\\.ts$", "/node_modules/"],
    },
    { ...base, displayName: "integration", testMatch: ["**/*.int.test.ts"], setupFilesAfterEnv: [slow] },
    { ...base, displayName: "e2e", testMatch: ["**/*.e2e.test.ts"], setupFilesAfterEnv: [slow] },
  ],
};
