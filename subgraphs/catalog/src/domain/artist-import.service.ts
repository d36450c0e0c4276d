import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { BadUserInputError, ConflictError, isUniqueViolation, NotFoundError } from "@urr/errors";
import { ArtistUpserted } from "@urr/events";
import type { Logger } from "@urr/logger";
import { requireAdmin } from "@urr/subgraph-kit";
import type {
  ExternalArtistPage,
  ExternalArtistRecord,
  MusicCatalog,
} from "../music-catalog/music-catalog.ts";
import type { ImportedArtistFields } from "../repositories/artist.repository.ts";
import type { CatalogStore } from "../repositories/catalog-store.ts";
import { recordAdminAction } from "./admin-audit.ts";
import { artistUpserted } from "./catalog-events.ts";
import type { ArtistRecord, MusicCatalogSource } from "./records.ts";
import { checkedText } from "./search-text.ts";

/** Spotify ids are base-62, 22 characters. */
const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;
const MAX_SEARCH_PAGE = 50;
/** Spotify pages search results up to offset 1,000. */
const MAX_SEARCH_OFFSET = 1_000;
/** The artists table's limits. */
const NAME_MAX = 100;
const GENRE_MAX = 50;

const cut = (text: string, max: number) => [...text].slice(0, max).join("").trim();

/**
 * Another import of the same record committed between this transaction's locking read (which found
 * nothing to lock) and its name check: saving again finds that artist and updates it.
 */
class ImportRaced extends Error {}

/**
 * Importing artists from a music catalog (admins): search it, then create the artist from one of
 * its records or refresh the artist imported from it before. The catalog is called before any
 * transaction opens (a slow catalog holds no row lock); the write is one transaction with its audit
 * entry and its catalog-events message, like createArtist.
 */
export class ArtistImportService {
  private readonly clock: () => Date;

  constructor(
    private readonly deps: {
      store: CatalogStore;
      catalogs: Record<MusicCatalogSource, MusicCatalog>;
      logger: Logger;
      clock?: () => Date;
    },
  ) {
    this.clock = deps.clock ?? (() => new Date());
  }

  search(
    viewer: Viewer,
    source: MusicCatalogSource,
    query: string,
    first?: number | null,
    offset?: number | null,
  ): Promise<ExternalArtistPage> {
    requireAdmin(viewer);
    const text = checkedText(query, "query", 100);
    const limit = first ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_PAGE)
      throw new BadUserInputError(`first must be 1 to ${MAX_SEARCH_PAGE}`, "first");
    const skip = offset ?? 0;
    if (!Number.isInteger(skip) || skip < 0 || skip > MAX_SEARCH_OFFSET)
      throw new BadUserInputError(`offset must be 0 to ${MAX_SEARCH_OFFSET}`, "offset");
    return this.deps.catalogs[source].search(text, { limit, offset: skip });
  }

  async importArtist(viewer: Viewer, source: MusicCatalogSource, externalId: string): Promise<ArtistRecord> {
    const admin = requireAdmin(viewer);
    if (!SPOTIFY_ID.test(externalId))
      throw new BadUserInputError("externalId must be a Spotify id (22 letters and digits)", "externalId");
    const found = await this.deps.catalogs[source].artist(externalId);
    if (!found) throw new NotFoundError("ExternalArtist", externalId);
    const fields = this.importedFields(found);
    try {
      return await this.save(admin, fields);
    } catch (error) {
      // Two imports of one new record raced and the other committed first: now it is an update.
      if (isUniqueViolation(error) || error instanceof ImportRaced) return this.save(admin, fields);
      throw error;
    }
  }

  private save(admin: AuthenticatedViewer, fields: ImportedArtistFields): Promise<ArtistRecord> {
    return this.deps.store.transaction(async (repos) => {
      const before = await repos.artists.findImportedForUpdate(fields.externalSource, fields.externalId);
      const namesake = await repos.artists.findByName(fields.name);
      if (
        namesake &&
        !before &&
        namesake.externalSource === fields.externalSource &&
        namesake.externalId === fields.externalId
      ) {
        throw new ImportRaced();
      }
      if (namesake && namesake.id !== before?.id) {
        throw new ConflictError(`Another artist is named ${fields.name}`, {
          reason: "ARTIST_NAME_TAKEN",
          artistId: namesake.id,
        });
      }
      const after = before
        ? await repos.artists.update(before.id, fields)
        : await repos.artists.create({ ...fields, description: "" });
      await recordAdminAction(repos, this.deps.logger, admin, {
        action: "artist.import",
        entityType: "ARTIST",
        entityId: after.id,
        before,
        after,
      });
      await repos.publish(ArtistUpserted, artistUpserted(after));
      return after;
    });
  }

  /** The catalog's record within the artists table's limits (its names are not ours to refuse). */
  private importedFields(found: ExternalArtistRecord): ImportedArtistFields {
    const genre = found.genres[0];
    return {
      name: cut(found.name, NAME_MAX),
      genre: genre ? cut(genre, GENRE_MAX) : null,
      imageUrl: found.imageUrl,
      externalSource: found.source,
      externalId: found.externalId,
      externalUrl: found.url,
      popularity: found.popularity,
      importedAt: this.clock(),
    };
  }
}
