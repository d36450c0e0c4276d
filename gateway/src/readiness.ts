import type { SubgraphRoute } from "./supergraph.ts";

export interface ReadinessReport {
  ready: boolean;
  subgraphs: Record<string, "ready" | "unavailable">;
}

/** The gateway is ready when every subgraph's own `/ready` answers 200. */
export async function checkSubgraphs(routes: SubgraphRoute[], timeoutMs = 2000): Promise<ReadinessReport> {
  const results = await Promise.all(
    routes.map(async (route) => {
      try {
        const response = await fetch(new URL("/ready", route.url), {
          signal: AbortSignal.timeout(timeoutMs),
        });
        return [route.name, response.ok ? "ready" : "unavailable"] as const;
      } catch {
        return [route.name, "unavailable"] as const;
      }
    }),
  );
  return { ready: results.every(([, state]) => state === "ready"), subgraphs: Object.fromEntries(results) };
}
