/**
 * `npm run bench [-- <name>]`: runs one benchmark from bench/, or all of them in turn.
 * Benchmarks print figures and a ratio against a baseline measured in the same run, and write an
 * SVG chart of it (bench/results/<name>.svg, or BENCH_OUT); they never run in `npm test`.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const all = readdirSync(__dirname)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .map((f) => f.replace(/\.ts$/, ""));
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !all.includes(name));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${all.join(", ")}`);
  process.exit(2);
}
for (const name of chosen.length ? chosen : all) {
  console.log(`== bench ${name}`);
  execFileSync(process.execPath, ["--import", "tsx", path.join(__dirname, `${name}.ts`)], {
    stdio: "inherit",
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: "true" },
  });
}
