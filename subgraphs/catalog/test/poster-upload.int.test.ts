import { firstErrorCode } from "@urr/testkit";
import { ADMIN, type CatalogHarness, FAN, startCatalogHarness } from "./support/catalog-harness.ts";

let h: CatalogHarness;
let eventId: string;
beforeAll(async () => {
  h = await startCatalogHarness();
  const artist = await h.call<{ createArtist: { id: string } }>(
    'mutation { createArtist(input: { name: "Poster Artist" }) { id } }',
    {},
    ADMIN,
  );
  const day = 86_400_000;
  const event = await h.call<{ createEvent: { id: string } }>(
    "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
    {
      i: {
        artistId: artist.data!.createArtist.id,
        title: "Poster Show",
        venue: "Hall",
        startsAt: new Date(Date.now() + 30 * day).toISOString(),
        saleStartsAt: new Date(Date.now() + day).toISOString(),
        saleEndsAt: new Date(Date.now() + 2 * day).toISOString(),
      },
    },
    ADMIN,
  );
  eventId = event.data!.createEvent.id;
});
afterAll(() => h.close());

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const REQUEST =
  "mutation($t: String!, $l: Int!) { createPosterUpload(contentType: $t, contentLength: $l) { url method key headers { name value } maxBytes } }";
type Upload = { url: string; method: string; key: string; headers: { name: string; value: string }[] };

async function requestUpload(type = "image/png", length = PNG.length): Promise<Upload> {
  const res = await h.call<{ createPosterUpload: Upload }>(REQUEST, { t: type, l: length }, ADMIN);
  expect(res.errors).toBeUndefined();
  return res.data!.createPosterUpload;
}

const put = (url: string, body: Buffer, type = "image/png") =>
  fetch(url, { method: "PUT", body, headers: { "content-type": type } });

describe("poster upload", () => {
  it("uploads to the signed URL, attaches the key and serves the image", async () => {
    const upload = await requestUpload();
    expect(upload.method).toBe("PUT");
    expect(upload.headers).toEqual([{ name: "content-type", value: "image/png" }]);
    expect((await put(upload.url, PNG)).status).toBe(201);
    const updated = await h.call<{ updateEvent: { posterImageUrl: string } }>(
      "mutation($id: ID!, $k: String!) { updateEvent(id: $id, input: { posterImageKey: $k }) { posterImageUrl } }",
      { id: eventId, k: upload.key },
      ADMIN,
    );
    const url = updated.data?.updateEvent.posterImageUrl ?? "";
    expect(url).toBe(`${h.baseUrl}/media/${upload.key}`);
    const image = await fetch(url);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);
  });

  it("refuses a tampered signature, another content type, and a body of another length", async () => {
    const upload = await requestUpload();
    const tampered = upload.url.replace(/sig=([^&])/, (_m, c: string) => `sig=${c === "A" ? "B" : "A"}`);
    expect((await put(tampered, PNG)).status).toBe(403);
    expect((await put(upload.url, PNG, "image/jpeg")).status).toBe(403);
    expect((await put(upload.url, Buffer.concat([PNG, PNG]))).status).toBe(400);
    expect((await put(upload.url.replace(/posters\/[^?]+/, "posters/../../etc/passwd"), PNG)).status).toBe(
      404,
    );
  });

  it("refuses to attach a key that was never uploaded, or is not a poster key", async () => {
    const upload = await requestUpload();
    const ATTACH =
      "mutation($id: ID!, $k: String!) { updateEvent(id: $id, input: { posterImageKey: $k }) { id } }";
    expect(
      (await h.call(ATTACH, { id: eventId, k: upload.key }, ADMIN)).errors?.[0]?.extensions,
    ).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.posterImageKey",
    });
    expect(firstErrorCode(await h.call(ATTACH, { id: eventId, k: "../../secrets.txt" }, ADMIN))).toBe(
      "BAD_USER_INPUT",
    );
  });

  it("accepts only images up to 10 MiB, and only from admins", async () => {
    expect(
      (await h.call(REQUEST, { t: "application/pdf", l: 100 }, ADMIN)).errors?.[0]?.extensions,
    ).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "contentType",
    });
    expect(
      (await h.call(REQUEST, { t: "image/png", l: 11 * 1024 * 1024 }, ADMIN)).errors?.[0]?.extensions,
    ).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "contentLength",
    });
    expect(firstErrorCode(await h.call(REQUEST, { t: "image/png", l: 10 }, FAN))).toBe("FORBIDDEN");
  });
});
