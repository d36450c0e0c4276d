/**
 * Writes the Ed25519 key pairs the services need into a directory (used by docker-compose's `keys`
 * service; `npm start` does the same under .urr/keys). Existing keys are kept.
 *
 *   node --import tsx scripts/generate-keys.ts <dir>
 */
import path from "node:path";
import { devKeys } from "./lib/dev-keys.ts";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: generate-keys.ts <dir>");
  process.exit(2);
}
devKeys(path.resolve(dir)).then(
  () => console.log(`keys ready in ${dir}`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
