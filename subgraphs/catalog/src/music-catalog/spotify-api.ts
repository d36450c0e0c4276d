import { z } from "zod";
import type { ExternalArtistPage, ExternalArtistRecord } from "./music-catalog.ts";

/**
 * The parts of Spotify's Web API answers this adapter reads, checked before use (a catalog that
 * changes its answers gets MUSIC_CATALOG_BAD_RESPONSE, not a half-filled artist). Unknown keys are
 * ignored; optional ones default.
 */

/** `POST {token URL}` with `grant_type=client_credentials` (RFC 6749 §4.4). */
export const tokenAnswer = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().positive(),
});

const image = z.object({
  url: z.string(),
  width: z.number().nullish(),
  height: z.number().nullish(),
});

/** `GET /v1/artists/{id}`, and each item of a search. */
export const artistAnswer = z.object({
  id: z.string().min(1),
  /** An artist without a name cannot be imported: the catalog's answer is unusable. */
  name: z.string().trim().min(1),
  genres: z.array(z.string()).default([]),
  images: z.array(image).default([]),
  popularity: z.number().int().min(0).max(100).nullish(),
  followers: z.object({ total: z.number().int().min(0).nullish() }).nullish(),
  external_urls: z.object({ spotify: z.string().nullish() }).nullish(),
});

/** `GET /v1/search?type=artist`. */
export const searchAnswer = z.object({
  artists: z.object({
    items: z.array(artistAnswer),
    total: z.number().int().min(0),
    offset: z.number().int().min(0),
    next: z.string().nullish(),
  }),
});

/** A URL safe to store and show: http(s), no spaces, within the 500 characters artists allow. */
export const webUrl = (value: string | null | undefined): string | null =>
  value && /^https?:\/\/\S{1,490}$/.test(value) ? value : null;

export function toExternalArtist(artist: z.output<typeof artistAnswer>): ExternalArtistRecord {
  // Spotify lists images widest first; do not rely on it.
  const widest = [...artist.images].sort((a, b) => (b.width ?? 0) - (a.width ?? 0))[0];
  return {
    source: "SPOTIFY",
    externalId: artist.id,
    name: artist.name,
    genres: artist.genres.map((g) => g.trim()).filter(Boolean),
    imageUrl: webUrl(widest?.url),
    popularity: artist.popularity ?? null,
    followers: artist.followers?.total ?? null,
    url: webUrl(artist.external_urls?.spotify),
  };
}

export function toExternalArtistPage(answer: z.output<typeof searchAnswer>): ExternalArtistPage {
  const { items, total, offset, next } = answer.artists;
  return { artists: items.map(toExternalArtist), total, offset, hasMore: Boolean(next) };
}
