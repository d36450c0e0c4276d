import { createLogger } from "@urr/logger";
import {
  type SpotifyCatalogOptions,
  SpotifyMusicCatalog,
} from "../src/music-catalog/spotify-music-catalog.ts";
import { FakeMusicCatalog, fakeArtist } from "./support/fake-music-catalog.ts";

/**
 * The Spotify adapter against a local server speaking Spotify's token endpoint and Web API: token
 * caching and refresh, 401s, 429 with Retry-After, 5xx, timeouts and the circuit breaker. Each
 * test checks what reached the server, not only what came back.
 */
let fake: FakeMusicCatalog;
let now: number;
beforeAll(async () => {
  fake = await new FakeMusicCatalog().start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  fake.artists.clear();
  fake.tokenLifetimeSeconds = 3600;
  now = Date.parse("2026-12-01T00:00:00Z");
});

function catalog(options: Partial<SpotifyCatalogOptions> = {}) {
  return new SpotifyMusicCatalog({
    baseUrl: fake.baseUrl,
    tokenUrl: fake.tokenUrl,
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    timeoutMs: 1_000,
    retries: 2,
    baseDelayMs: 1,
    maxRetryAfterWaitMs: 0,
    circuitFailureThreshold: 5,
    circuitResetMs: 30_000,
    logger: createLogger("music-catalog-test", { level: "silent" }),
    clock: () => now,
    ...options,
  });
}

const refusal = (reason: string, extra: Record<string, unknown> = {}) => ({
  extensions: { code: "SERVICE_UNAVAILABLE", reason, ...extra },
});

describe("reading artists", () => {
  it("finds an artist by id and maps Spotify's fields", async () => {
    const bts = fakeArtist("BTS");
    fake.artists.set(bts.id, bts);
    expect(await catalog().artist(bts.id)).toEqual({
      source: "SPOTIFY",
      externalId: bts.id,
      name: "BTS",
      genres: ["k-pop", "k-pop boy group"],
      imageUrl: `https://i.scdn.co/image/${bts.id}-640`,
      popularity: 87,
      followers: 1234567,
      url: `https://open.spotify.com/artist/${bts.id}`,
    });
    expect(fake.apiRequests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/artists/${bts.id}`]);
  });

  it("answers null for an artist the catalog does not have (404 or Spotify's 400 invalid id)", async () => {
    const music = catalog();
    expect(await music.artist("0000000000000000000000")).toBeNull();
    fake.scriptApi({ status: 400, body: { error: { status: 400, message: "invalid id" } } });
    expect(await music.artist("1111111111111111111111")).toBeNull();
  });

  it("searches with type=artist, q, limit and offset", async () => {
    for (const name of ["Stray Kids", "Stray Cats", "Blue Tide"])
      fake.artists.set(fakeArtist(name).id, fakeArtist(name));
    const page = await catalog().search("stray", { limit: 1, offset: 0 });
    expect(page).toMatchObject({ total: 2, offset: 0, hasMore: true });
    expect(page.artists.map((a) => a.name)).toEqual(["Stray Kids"]);
    const [request] = fake.apiRequests;
    expect(Object.fromEntries(request!.query)).toEqual({
      q: "stray",
      type: "artist",
      limit: "1",
      offset: "0",
    });
  });

  it("refuses an answer that does not have Spotify's shape (BAD_RESPONSE), without retrying", async () => {
    fake.scriptApi({ status: 200, body: { artists: { items: "nope" } } });
    await expect(catalog().search("x", { limit: 5, offset: 0 })).rejects.toMatchObject(
      refusal("MUSIC_CATALOG_BAD_RESPONSE"),
    );
    expect(fake.apiRequests).toHaveLength(1);
  });
});

describe("the client-credentials token", () => {
  it("is requested with Basic auth and grant_type=client_credentials, once for many calls", async () => {
    const music = catalog();
    await Promise.all([music.artist("0000000000000000000000"), music.artist("1111111111111111111111")]);
    await music.artist("2222222222222222222222");
    expect(fake.tokenRequests).toHaveLength(1);
    const [token] = fake.tokenRequests;
    expect(token!.method).toBe("POST");
    expect(token!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(token!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString("base64")}`,
    );
    expect(new URLSearchParams(token!.body).get("grant_type")).toBe("client_credentials");
    expect(new Set(fake.apiRequests.map((r) => r.headers.authorization)).size).toBe(1);
  });

  it("is refreshed shortly before it expires", async () => {
    fake.tokenLifetimeSeconds = 3600;
    const music = catalog();
    await music.artist("0000000000000000000000");
    now += 3600_000 - 61_000; // more than a minute left: still the cached one
    await music.artist("0000000000000000000000");
    expect(fake.tokenRequests).toHaveLength(1);
    now += 2_000; // under a minute left: a new one
    await music.artist("0000000000000000000000");
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.apiRequests.at(-1)?.headers.authorization).not.toBe(
      fake.apiRequests[0]?.headers.authorization,
    );
  });

  it("is replaced once when the API answers 401, and the request repeated", async () => {
    const bts = fakeArtist("BTS");
    fake.artists.set(bts.id, bts);
    const music = catalog();
    await music.artist(bts.id);
    fake.revokeTokens();
    expect(await music.artist(bts.id)).toMatchObject({ name: "BTS" });
    expect(fake.tokenRequests).toHaveLength(2);
    const [first, refused, fresh] = fake.apiRequests.map((r) => r.headers.authorization);
    expect(fake.apiRequests).toHaveLength(3);
    expect(refused).toBe(first);
    expect(fresh).not.toBe(first);
  });

  it("a 401 with a fresh token too means rejected credentials; no endless refreshing", async () => {
    const unauthorized = { status: 401, body: { error: { status: 401, message: "Invalid access token" } } };
    fake.scriptApi(unauthorized, unauthorized, unauthorized, unauthorized);
    await expect(catalog().artist("0000000000000000000000")).rejects.toMatchObject(
      refusal("MUSIC_CATALOG_CREDENTIALS_REJECTED"),
    );
    expect(fake.apiRequests).toHaveLength(2);
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it("refused by the token endpoint (invalid_client) is rejected credentials, and no API call goes out", async () => {
    await expect(
      catalog({ clientSecret: "wrong" }).search("bts", { limit: 5, offset: 0 }),
    ).rejects.toMatchObject(refusal("MUSIC_CATALOG_CREDENTIALS_REJECTED"));
    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.apiRequests).toHaveLength(0);
  });
});

describe("429 Too Many Requests", () => {
  it("answers RATE_LIMITED with the catalog's Retry-After, and sends nothing until it has passed", async () => {
    const music = catalog();
    fake.scriptApi({ status: 429, headers: { "retry-after": "30" } });
    await expect(music.artist("0000000000000000000000")).rejects.toMatchObject(
      refusal("MUSIC_CATALOG_RATE_LIMITED", { retryAfterSeconds: 30 }),
    );
    expect(fake.apiRequests).toHaveLength(1);
    now += 10_000;
    await expect(music.search("bts", { limit: 5, offset: 0 })).rejects.toMatchObject(
      refusal("MUSIC_CATALOG_RATE_LIMITED", { retryAfterSeconds: 20 }),
    );
    expect(fake.apiRequests).toHaveLength(1); // paused: the catalog was not asked again
    now += 20_000;
    expect(await music.artist("0000000000000000000000")).toBeNull();
    expect(fake.apiRequests).toHaveLength(2);
  });

  it("waits out a Retry-After short enough and tries once more", async () => {
    const bts = fakeArtist("BTS");
    fake.artists.set(bts.id, bts);
    fake.scriptApi({ status: 429, headers: { "retry-after": "1" } });
    const started = Date.now();
    const music = catalog({ maxRetryAfterWaitMs: 2_000, clock: Date.now });
    expect(await music.artist(bts.id)).toMatchObject({ name: "BTS" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.apiRequests).toHaveLength(2);
  });

  it("a second 429 after waiting goes to the admin, not into a loop", async () => {
    fake.scriptApi(
      { status: 429, headers: { "retry-after": "0" } },
      { status: 429, headers: { "retry-after": "0" } },
    );
    await expect(
      catalog({ maxRetryAfterWaitMs: 2_000 }).artist("0000000000000000000000"),
    ).rejects.toMatchObject(refusal("MUSIC_CATALOG_RATE_LIMITED", { retryAfterSeconds: 1 }));
    expect(fake.apiRequests).toHaveLength(2);
  });

  it("reads Retry-After as an HTTP date too, and from the token endpoint", async () => {
    fake.scriptToken({ status: 429, headers: { "retry-after": new Date(now + 45_000).toUTCString() } });
    await expect(catalog().artist("0000000000000000000000")).rejects.toMatchObject(
      refusal("MUSIC_CATALOG_RATE_LIMITED", { retryAfterSeconds: 45 }),
    );
    expect(fake.apiRequests).toHaveLength(0);
  });
});

describe("failures that may pass", () => {
  it("retries a 5xx with backoff and answers when the catalog recovers", async () => {
    const bts = fakeArtist("BTS");
    fake.artists.set(bts.id, bts);
    fake.scriptApi({ status: 503 }, { status: 502 });
    expect(await catalog().artist(bts.id)).toMatchObject({ name: "BTS" });
    expect(fake.apiRequests).toHaveLength(3);
  });

  it("after the last retry answers UNAVAILABLE with retryAfterSeconds, never an internal error", async () => {
    fake.scriptApi({ status: 500 }, { status: 500 }, { status: 500 });
    await expect(catalog().artist("0000000000000000000000")).rejects.toMatchObject(
      refusal("MUSIC_CATALOG_UNAVAILABLE", { retryAfterSeconds: 5 }),
    );
    expect(fake.apiRequests).toHaveLength(3);
  });

  it("gives up on an answer that takes longer than the timeout, and retries it", async () => {
    fake.scriptApi({ status: 200, body: {}, delayMs: 1_000 }, { status: 200, body: {}, delayMs: 1_000 });
    const started = Date.now();
    await expect(
      catalog({ timeoutMs: 100, retries: 1 }).artist("0000000000000000000000"),
    ).rejects.toMatchObject(refusal("MUSIC_CATALOG_UNAVAILABLE"));
    expect(Date.now() - started).toBeLessThan(900);
    expect(fake.apiRequests).toHaveLength(2);
  });

  it("times out a stalled token endpoint as well", async () => {
    fake.scriptToken({ status: 200, body: {}, delayMs: 1_000 });
    await expect(
      catalog({ timeoutMs: 100, retries: 0 }).search("x", { limit: 1, offset: 0 }),
    ).rejects.toMatchObject(refusal("MUSIC_CATALOG_UNAVAILABLE"));
    expect(fake.apiRequests).toHaveLength(0);
  });

  it("opens the circuit after repeated failures: calls fail fast until it resets", async () => {
    const music = catalog({ retries: 0, circuitFailureThreshold: 2, circuitResetMs: 10_000 });
    fake.scriptApi({ status: 500 }, { status: 500 });
    for (let i = 0; i < 2; i++) {
      await expect(music.artist("0000000000000000000000")).rejects.toMatchObject(
        refusal("MUSIC_CATALOG_UNAVAILABLE"),
      );
    }
    await expect(music.artist("0000000000000000000000")).rejects.toMatchObject(
      refusal("MUSIC_CATALOG_UNAVAILABLE", { retryAfterSeconds: 10 }),
    );
    expect(fake.apiRequests).toHaveLength(2); // the third call never reached the catalog
    now += 10_000;
    expect(await music.artist("0000000000000000000000")).toBeNull();
    expect(fake.apiRequests).toHaveLength(3);
  });

  it("a rate limit or a missing artist does not count towards opening the circuit", async () => {
    const music = catalog({ retries: 0, circuitFailureThreshold: 1 });
    fake.scriptApi({ status: 429, headers: { "retry-after": "1" } });
    await expect(music.artist("0000000000000000000000")).rejects.toMatchObject(
      refusal("MUSIC_CATALOG_RATE_LIMITED"),
    );
    now += 1_000;
    expect(await music.artist("0000000000000000000000")).toBeNull();
    expect(await music.artist("0000000000000000000000")).toBeNull();
    expect(fake.apiRequests).toHaveLength(3);
  });
});
