import type { CatalogStore } from "../repositories/catalog-store.ts";
import { checkId, searchTerm } from "./event-input.ts";
import { type EventStatus, statusWindow } from "./event-status.ts";
import { decodeCursor, encodeCursor, type Page, pageSize, toPage } from "./pagination.ts";
import type { ArtistRecord, EventRecord } from "./records.ts";

export interface EventFilterInput {
  status?: EventStatus | null;
  artistId?: string | null;
  startsFrom?: Date | null;
  startsBefore?: Date | null;
  search?: string | null;
}

export const eventCursor = (e: EventRecord) => encodeCursor([e.startsAt.toISOString(), e.id]);
export const artistCursor = (a: ArtistRecord) => encodeCursor([a.name, a.id]);

/** Public reads of the catalog: anyone may browse. */
export class CatalogService {
  constructor(
    private readonly store: CatalogStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async events(
    filter: EventFilterInput = {},
    first?: number | null,
    after?: string | null,
  ): Promise<Page<EventRecord>> {
    const size = pageSize(first);
    const position = decodeCursor(after, ["instant", "id"]);
    const rows = await this.store.repos.events.list({
      ...(filter.status ? { window: statusWindow(filter.status, this.clock()) } : {}),
      ...(filter.artistId ? { artistId: checkId(filter.artistId, "filter.artistId") } : {}),
      ...(filter.startsFrom ? { startsFrom: filter.startsFrom } : {}),
      ...(filter.startsBefore ? { startsBefore: filter.startsBefore } : {}),
      ...(filter.search ? { search: searchTerm(filter.search) } : {}),
      ...(position ? { after: { startsAt: new Date(position[0] ?? ""), id: position[1] ?? "" } } : {}),
      limit: size + 1,
    });
    return toPage(rows, size);
  }

  /** Null for an unknown id (a query, not a command). */
  event(id: string): Promise<EventRecord | null> {
    return this.store.repos.events.findById(checkId(id));
  }

  async artists(
    search?: string | null,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<ArtistRecord>> {
    const size = pageSize(first);
    const position = decodeCursor(after, ["text", "id"]);
    const rows = await this.store.repos.artists.list({
      ...(search ? { search: searchTerm(search, "search") } : {}),
      ...(position ? { after: { name: position[0] ?? "", id: position[1] ?? "" } } : {}),
      limit: size + 1,
    });
    return toPage(rows, size);
  }

  artist(id: string): Promise<ArtistRecord | null> {
    return this.store.repos.artists.findById(checkId(id));
  }
}
