import { readFileSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { configSchemas, readmeOf } from "./support/config-schemas.ts";

/**
 * Each service's README documents its environment in a table (variable | default | meaning). The
 * table must name exactly the variables the service's config schema reads, and where it gives a
 * literal default, that default must be the schema's: a README that disagrees with the code is a
 * defect a reader cannot see.
 */
const ROOT = path.resolve(__dirname, "../..");

interface Documented {
  variable: string;
  /** The literal default the README gives, when the row pairs one default with each variable. */
  default?: string;
}

/** `PORT` / `HOST` | `4000` / `127.0.0.1` → PORT=4000, HOST=127.0.0.1. */
function documentedVariables(markdown: string): Documented[] {
  const lines = markdown.split("\n");
  const header = lines.findIndex((line) => /^\|\s*variable\s*\|\s*default\s*\|/i.test(line));
  if (header < 0) return [];
  const rows: Documented[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    const [names = "", defaults = ""] = line.split("|").slice(1, 3);
    const variables = [...names.matchAll(/`([A-Z][A-Z0-9_<>]*)`/g)].map((m) => m[1] ?? "");
    const values = defaults.split(" / ").map((d) => d.trim());
    variables.forEach((variable, i) => {
      const quoted =
        values.length === variables.length ? /^`([^`]*)`$/.exec(values[i] ?? "")?.[1] : undefined;
      // `""` is how a table writes the empty string.
      const literal = quoted === '""' ? "" : quoted;
      rows.push(literal === undefined ? { variable } : { variable, default: literal });
    });
  }
  return rows;
}

/** What the schema yields for a variable that is not set, as an environment string. */
function schemaDefault(field: z.ZodType): string | undefined {
  const parsed = field.safeParse(undefined);
  if (!parsed.success || parsed.data === undefined) return undefined;
  return Array.isArray(parsed.data) ? parsed.data.join(",") : String(parsed.data);
}

describe.each(Object.entries(configSchemas))("%s README", (service, schema) => {
  const documented = documentedVariables(readFileSync(path.join(ROOT, readmeOf(service)), "utf8"));
  const shape = schema.shape as Record<string, z.ZodType>;
  /** `SUBGRAPH_<NAME>_URL` stands for variables the gateway reads by pattern, not by name. */
  const patterns = documented.filter((d) => d.variable.includes("<"));

  it("has an environment table", () => {
    expect(documented.length).toBeGreaterThan(0);
  });

  it("documents every variable the service reads", () => {
    const names = new Set(documented.map((d) => d.variable));
    expect(Object.keys(shape).filter((key) => !names.has(key))).toEqual([]);
  });

  it("documents no variable the service does not read", () => {
    const stray = documented.filter((d) => !d.variable.includes("<") && !(d.variable in shape));
    expect(stray.map((d) => d.variable)).toEqual([]);
    expect(patterns.every((p) => service === "gateway" && p.variable === "SUBGRAPH_<NAME>_URL")).toBe(true);
  });

  it("gives the defaults the service really uses", () => {
    const wrong = documented
      .filter((d) => d.default !== undefined && d.variable in shape)
      .map((d) => ({
        variable: d.variable,
        readme: d.default,
        code: schemaDefault(shape[d.variable] as z.ZodType),
      }))
      .filter((d) => d.readme !== d.code);
    expect(wrong).toEqual([]);
  });
});

describe("documentedVariables", () => {
  it("pairs each variable of a row with its default", () => {
    const table = [
      "| variable | default | meaning |",
      "| --- | --- | --- |",
      "| `PORT` / `HOST` | `4000` / `127.0.0.1` | where |",
      "| `CONTEXT_TOKEN_PUBLIC_KEY` | required | key |",
      "| `A` `B` | — | pair without defaults |",
    ].join("\n");
    expect(documentedVariables(table)).toEqual([
      { variable: "PORT", default: "4000" },
      { variable: "HOST", default: "127.0.0.1" },
      { variable: "CONTEXT_TOKEN_PUBLIC_KEY" },
      { variable: "A" },
      { variable: "B" },
    ]);
  });
});
