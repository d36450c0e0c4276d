import type { MusicCatalogSource } from "../domain/records.ts";

/** An artist as a music catalog describes it (what `searchExternalArtists` shows and import copies). */
export interface ExternalArtistRecord {
  source: MusicCatalogSource;
  externalId: string;
  name: string;
  /** Most relevant first. */
  genres: string[];
  /** The largest picture, an http(s) URL; null when the catalog has none. */
  imageUrl: string | null;
  /** 0 to 100. */
  popularity: number | null;
  followers: number | null;
  /** The artist's page in the catalog. */
  url: string | null;
}

export interface ExternalArtistPage {
  artists: ExternalArtistRecord[];
  total: number;
  offset: number;
  hasMore: boolean;
}

/**
 * A music catalog artists are imported from. Its failures are coded refusals
 * (SERVICE_UNAVAILABLE with a `reason`, see music-catalog-errors.ts), never a raw HTTP error.
 */
export interface MusicCatalog {
  readonly source: MusicCatalogSource;
  search(query: string, page: { limit: number; offset: number }): Promise<ExternalArtistPage>;
  /** Null when the catalog has no artist with this id. */
  artist(externalId: string): Promise<ExternalArtistRecord | null>;
}
