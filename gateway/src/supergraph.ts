import { readFileSync } from "node:fs";

export interface SubgraphRoute {
  name: string;
  url: string;
}

/** Reads the composed supergraph and the subgraph routes recorded in its `join__Graph` enum. */
export function loadSupergraph(path: string, overrides: Record<string, string>) {
  const sdl = readFileSync(path, "utf8");
  const routes: SubgraphRoute[] = [];
  for (const match of sdl.matchAll(/@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]*)"\)/g)) {
    const [, name = "", url = ""] = match;
    routes.push({ name, url: overrides[name] ?? url });
  }
  if (routes.length === 0) throw new Error(`${path} names no subgraphs: is it a composed supergraph?`);
  return { sdl, routes };
}
