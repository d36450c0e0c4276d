import type { BaseContext } from "@urr/subgraph-kit";
import DataLoader from "dataloader";
import type { ArtistAliasService } from "./domain/artist-alias.service.ts";
import type { ArtistImportService } from "./domain/artist-import.service.ts";
import type { AuditLogService } from "./domain/audit-log.service.ts";
import type { CatalogService } from "./domain/catalog.service.ts";
import type { CatalogAdminService } from "./domain/catalog-admin.service.ts";
import type { ArtistRecord, EventRecord, MusicCatalogSource } from "./domain/records.ts";
import type { CatalogStore } from "./repositories/catalog-store.ts";
import type { PosterStorage } from "./storage/poster-storage.ts";

export interface CatalogContext extends BaseContext {
  catalog: CatalogService;
  admin: CatalogAdminService;
  imports: ArtistImportService;
  aliases: ArtistAliasService;
  auditLog: AuditLogService;
  storage: PosterStorage;
  now: Date;
  loaders: {
    eventById: DataLoader<string, EventRecord | null>;
    artistById: DataLoader<string, ArtistRecord | null>;
    aliasesByArtist: DataLoader<string, string[]>;
    /** Keyed by externalRef(source, externalId): the artist imported from that music catalog record. */
    artistByExternalRef: DataLoader<string, ArtistRecord | null>;
  };
}

export const externalRef = (source: MusicCatalogSource, externalId: string) => `${source}:${externalId}`;

const splitExternalRef = (ref: string): [MusicCatalogSource, string] => {
  const at = ref.indexOf(":");
  return [ref.slice(0, at) as MusicCatalogSource, ref.slice(at + 1)];
};

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
    aliasesByArtist: new DataLoader(async (artistIds) => {
      const rows = await store.repos.aliases.ofArtists(artistIds);
      return artistIds.map((id) => rows.filter((row) => row.artistId === id).map((row) => row.alias));
    }),
    artistByExternalRef: new DataLoader(async (refs) => {
      const bySource = new Map<MusicCatalogSource, string[]>();
      for (const ref of refs) {
        const [source, externalId] = splitExternalRef(ref);
        bySource.set(source, [...(bySource.get(source) ?? []), externalId]);
      }
      const found = await Promise.all(
        [...bySource].map(([source, ids]) => store.repos.artists.findByExternalIds(source, ids)),
      );
      const byRef = new Map<string, ArtistRecord>();
      for (const artist of found.flat()) {
        if (artist.externalSource && artist.externalId)
          byRef.set(externalRef(artist.externalSource, artist.externalId), artist);
      }
      return refs.map((ref) => byRef.get(ref) ?? null);
    }),
  };
}
