import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { composeSupergraph } from "../../scripts/lib/composition.ts";

function config(
  files: Record<string, string>,
  version = require("@apollo/composition/package.json").version as string,
) {
  const dir = mkdtempSync(path.join(tmpdir(), "urr-compose-"));
  const subgraphs = Object.keys(files)
    .map(
      (name) =>
        `  ${name}:\n    routing_url: http://127.0.0.1:1/${name}\n    schema:\n      file: ./${name}.graphql`,
    )
    .join("\n");
  for (const [name, sdl] of Object.entries(files)) writeFileSync(path.join(dir, `${name}.graphql`), sdl);
  writeFileSync(
    path.join(dir, "supergraph.yaml"),
    `federation_version: =${version}\nsubgraphs:\n${subgraphs}\n`,
  );
  return path.join(dir, "supergraph.yaml");
}

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])`;

describe("composition", () => {
  it("composes the repository's supergraph.yaml", () => {
    const result = composeSupergraph();
    expect(result.ok).toBe(true);
  });

  it("reports composition errors instead of writing a supergraph", () => {
    const result = composeSupergraph(
      config({
        a: `${LINK}\ntype Query { thing: Thing } type Thing @key(fields: "id") { id: ID! size: Int }`,
        b: `${LINK}\ntype Query { other: Thing } type Thing @key(fields: "id") { id: ID! size: String }`,
      }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join("\n")).toMatch(/size/);
  });

  it("refuses when the pinned federation version is not the installed composition", () => {
    const result = composeSupergraph(config({ a: `${LINK}\ntype Query { x: Int }` }, "2.0.0"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/pins federation 2.0.0/);
  });
});
