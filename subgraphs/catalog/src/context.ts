import type { BaseContext } from "@urr/subgraph-kit";
import DataLoader from "dataloader";
import type { CatalogService } from "./domain/catalog.service.ts";
import type { CatalogAdminService } from "./domain/catalog-admin.service.ts";
import type { ArtistRecord, EventRecord } from "./domain/records.ts";
import type { CatalogStore } from "./repositories/catalog-store.ts";
import type { PosterStorage } from "./storage/poster-storage.ts";

export interface CatalogContext extends BaseContext {
  catalog: CatalogService;
  admin: CatalogAdminService;
  storage: PosterStorage;
  now: Date;
  loaders: {
    eventById: DataLoader<string, EventRecord | null>;
    artistById: DataLoader<string, ArtistRecord | null>;
  };
}

function byId<T extends { id: string }>(load: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const found = new Map((await load(ids)).map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** Per request: one query per entity type however many references a plan sends. */
export function createLoaders(store: CatalogStore): CatalogContext["loaders"] {
  return {
    eventById: byId((ids) => store.repos.events.findByIds(ids)),
    artistById: byId((ids) => store.repos.artists.findByIds(ids)),
  };
}
