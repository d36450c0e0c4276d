import { readFileSync } from "node:fs";
import path from "node:path";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import YAML from "yaml";

export const ROOT = path.resolve(__dirname, "../..");
export const SUPERGRAPH_CONFIG = path.join(ROOT, "supergraph.yaml");
export const SUPERGRAPH_PATH = path.join(ROOT, "supergraph.graphql");

interface SupergraphConfig {
  federation_version: string;
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
}

export type CompositionResult =
  | { ok: true; supergraphSdl: string; subgraphs: string[] }
  | { ok: false; errors: string[] };

function installedCompositionVersion(): string {
  const pkg = JSON.parse(readFileSync(require.resolve("@apollo/composition/package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** Reads supergraph.yaml (rover's format) and composes it; the pinned version must be installed. */
export function composeSupergraph(configPath = SUPERGRAPH_CONFIG): CompositionResult {
  const config = YAML.parse(readFileSync(configPath, "utf8")) as SupergraphConfig;
  const pinned = config.federation_version.replace(/^=/, "");
  const installed = installedCompositionVersion();
  if (pinned !== installed) {
    return {
      ok: false,
      errors: [
        `supergraph.yaml pins federation ${pinned}, but @apollo/composition ${installed} is installed`,
      ],
    };
  }
  const base = path.dirname(configPath);
  const services = Object.entries(config.subgraphs).map(([name, subgraph]) => ({
    name,
    url: subgraph.routing_url,
    typeDefs: parse(readFileSync(path.resolve(base, subgraph.schema.file), "utf8")),
  }));
  const result = composeServices(services);
  if (result.errors?.length) return { ok: false, errors: result.errors.map((e) => e.message) };
  if (!result.supergraphSdl) return { ok: false, errors: ["composition produced no supergraph"] };
  return { ok: true, supergraphSdl: result.supergraphSdl, subgraphs: services.map((s) => s.name) };
}
