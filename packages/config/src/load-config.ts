import { readFileSync } from "node:fs";
import type { z } from "zod";

/** Thrown at start-up when the environment is invalid; names every bad variable at once. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration for ${service}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads and validates the environment once, at start-up. Each service declares a zod object whose
 * keys are the environment variable names; the result is typed and frozen, and nothing else in the
 * service reads `process.env`.
 */
export function loadConfig<S extends z.ZodObject>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<z.infer<S>> {
  // Empty strings mean "not set": `FOO= npm start` should fall back to the default, not fail.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const fileProblems = readFileVariables(cleaned, Object.keys(schema.shape));
  if (fileProblems.length) throw new ConfigError(service, fileProblems);
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = issue.path.join(".") || "(environment)";
      return `${variable}: ${issue.message}`;
    });
    throw new ConfigError(service, problems);
  }
  return Object.freeze(result.data);
}

/**
 * `X_FILE=/run/secrets/x` supplies X from a file (Docker and Kubernetes secrets), for every X the
 * schema knows. Setting both is ambiguous and refused.
 */
function readFileVariables(env: Record<string, string | undefined>, known: string[]): string[] {
  const problems: string[] = [];
  for (const name of known) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name] !== undefined) {
      problems.push(`${name}: set either ${name} or ${name}_FILE, not both`);
      continue;
    }
    try {
      env[name] = readFileSync(file, "utf8").trim();
    } catch {
      problems.push(`${name}_FILE: cannot read ${file}`);
    }
  }
  return problems;
}
