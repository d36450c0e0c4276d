import type { Viewer } from "@urr/auth-tokens";
import { ConflictError, NotFoundError } from "@urr/errors";
import type { Logger } from "@urr/logger";
import { requireAdmin } from "@urr/subgraph-kit";
import type { CatalogRepositories, CatalogStore } from "../repositories/catalog-store.ts";
import { recordAdminAction } from "./admin-audit.ts";
import { checkId } from "./event-input.ts";
import type { ArtistRecord } from "./records.ts";
import { checkedText, comparable } from "./search-text.ts";

export const ALIAS_MAX_CHARACTERS = 100;
/** Keeps `Artist.aliases` a short list (its cost is estimated per artist). */
export const MAX_ALIASES_PER_ARTIST = 50;

/**
 * Search aliases (the reference system's keyword mappings): other names an artist is found by.
 * Admin actions like the others: authorised here, under the artist's row lock (so two admins adding
 * at once cannot pass the limit or the duplicate check together), audited in the same transaction.
 */
export class ArtistAliasService {
  constructor(private readonly deps: { store: CatalogStore; logger: Logger }) {}

  addAlias(viewer: Viewer, artistId: string, alias: string): Promise<ArtistRecord> {
    const admin = requireAdmin(viewer);
    const id = checkId(artistId, "artistId");
    const text = checkedText(alias, "alias", ALIAS_MAX_CHARACTERS);
    const normalized = comparable(text);
    return this.deps.store.transaction(async (repos) => {
      const { artist, aliases } = await this.lockArtist(repos, id);
      if (aliases.some((a) => a.normalized === normalized))
        throw new ConflictError(`The artist already has the alias ${text}`, {
          reason: "ALIAS_EXISTS",
          field: "alias",
        });
      if (aliases.length >= MAX_ALIASES_PER_ARTIST)
        throw new ConflictError(`An artist has at most ${MAX_ALIASES_PER_ARTIST} aliases`, {
          reason: "TOO_MANY_ALIASES",
        });
      await repos.aliases.add({ artistId: id, alias: text, normalized });
      await recordAdminAction(repos, this.deps.logger, admin, {
        action: "artist-alias.add",
        entityType: "ARTIST",
        entityId: id,
        before: { aliases: aliases.map((a) => a.alias) },
        after: { aliases: [...aliases.map((a) => a.alias), text] },
      });
      return artist;
    });
  }

  removeAlias(viewer: Viewer, artistId: string, alias: string): Promise<ArtistRecord> {
    const admin = requireAdmin(viewer);
    const id = checkId(artistId, "artistId");
    const normalized = comparable(checkedText(alias, "alias", ALIAS_MAX_CHARACTERS));
    return this.deps.store.transaction(async (repos) => {
      const { artist, aliases } = await this.lockArtist(repos, id);
      if (!(await repos.aliases.remove(id, normalized))) throw new NotFoundError("ArtistAlias", alias.trim());
      await recordAdminAction(repos, this.deps.logger, admin, {
        action: "artist-alias.remove",
        entityType: "ARTIST",
        entityId: id,
        before: { aliases: aliases.map((a) => a.alias) },
        after: { aliases: aliases.filter((a) => a.normalized !== normalized).map((a) => a.alias) },
      });
      return artist;
    });
  }

  private async lockArtist(repos: CatalogRepositories, id: string) {
    const artist = await repos.artists.findForUpdate(id);
    if (!artist) throw new NotFoundError("Artist", id);
    return { artist, aliases: await repos.aliases.ofArtists([id]) };
  }
}
