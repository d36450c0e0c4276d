import type { Logger } from "@urr/logger";
import type { CatalogConfig } from "../config.ts";
import type { MusicCatalog } from "./music-catalog.ts";
import { SpotifyMusicCatalog } from "./spotify-music-catalog.ts";
import { UnconfiguredMusicCatalog } from "./unconfigured-music-catalog.ts";

/** The configured music catalog, or the stand-in that refuses with MUSIC_CATALOG_NOT_CONFIGURED. */
export function createMusicCatalog(config: CatalogConfig, logger: Logger): MusicCatalog {
  if (!config.MUSIC_CATALOG_CLIENT_ID || !config.MUSIC_CATALOG_CLIENT_SECRET) {
    logger.info("artist import is off (MUSIC_CATALOG_CLIENT_ID and MUSIC_CATALOG_CLIENT_SECRET unset)");
    return new UnconfiguredMusicCatalog();
  }
  return new SpotifyMusicCatalog({
    baseUrl: config.MUSIC_CATALOG_BASE_URL,
    tokenUrl: config.MUSIC_CATALOG_TOKEN_URL,
    clientId: config.MUSIC_CATALOG_CLIENT_ID,
    clientSecret: config.MUSIC_CATALOG_CLIENT_SECRET,
    timeoutMs: config.MUSIC_CATALOG_TIMEOUT_MS,
    retries: config.MUSIC_CATALOG_RETRIES,
    baseDelayMs: config.MUSIC_CATALOG_RETRY_DELAY_MS,
    maxRetryAfterWaitMs: config.MUSIC_CATALOG_MAX_RETRY_AFTER_WAIT_MS,
    circuitFailureThreshold: config.MUSIC_CATALOG_CIRCUIT_FAILURES,
    circuitResetMs: config.MUSIC_CATALOG_CIRCUIT_RESET_MS,
    logger: logger.child({ component: "music-catalog" }),
  });
}
