import { isUuid } from "@urr/contracts";
import type { BaseContext } from "@urr/subgraph-kit";
import DataLoader from "dataloader";
import type { PubSubEngine } from "graphql-subscriptions";
import type { EventStatsRecord } from "./domain/records.ts";
import type { StatsService } from "./domain/stats.service.ts";

export interface StatsContext extends BaseContext {
  stats: StatsService;
  pubsub: PubSubEngine;
  loaders: { eventStats: DataLoader<string, EventStatsRecord | null> };
}

/** Per request: Event.stats of every event in a plan in one query (ids that are no UUID have none). */
export function createLoaders(stats: StatsService, base: BaseContext): StatsContext["loaders"] {
  return {
    eventStats: new DataLoader(
      async (ids) => {
        const known = ids.filter(isUuid);
        const rows = known.length ? await stats.forEvents(base.viewer, known) : [];
        return ids.map((id) => rows[known.indexOf(id)] ?? null);
      },
      { cache: !base.live },
    ),
  };
}
