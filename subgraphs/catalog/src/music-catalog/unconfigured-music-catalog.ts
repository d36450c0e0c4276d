import type { MusicCatalog } from "./music-catalog.ts";
import { notConfigured } from "./music-catalog-errors.ts";

/**
 * Stands in for the music catalog while none is configured (the default): import is off, and every
 * call is the same coded refusal rather than a field that vanishes from the schema.
 */
export class UnconfiguredMusicCatalog implements MusicCatalog {
  readonly source = "SPOTIFY" as const;

  async search(): Promise<never> {
    throw notConfigured();
  }

  async artist(): Promise<never> {
    throw notConfigured();
  }
}
