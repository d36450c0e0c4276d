import { S3PosterStorage } from "../src/storage/s3-poster-storage.ts";

/** AWS's published example for query-string SigV4 ("Authenticating Requests: Using Query Parameters"). */
describe("S3 pre-signed URLs", () => {
  const storage = new S3PosterStorage(
    {
      endpoint: "https://s3.amazonaws.com",
      virtualHosted: true,
      region: "us-east-1",
      bucket: "examplebucket",
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      publicBaseUrl: "https://cdn.example.test",
    },
    () => new Date("2013-05-24T00:00:00Z"),
  );

  it("matches AWS's documented signature for a GET of test.txt valid 86400 s", () => {
    const url = new URL(storage.presign("GET", "test.txt", {}, 86400));
    expect(url.origin + url.pathname).toBe("https://examplebucket.s3.amazonaws.com/test.txt");
    expect(url.searchParams.get("X-Amz-Credential")).toBe(
      "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request",
    );
    expect(url.searchParams.get("X-Amz-Signature")).toBe(
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
    );
  });

  it("signs content type and exact length into upload URLs", async () => {
    const upload = await storage.presignUpload(
      "posters/a.png",
      "image/png",
      1234,
      new Date("2013-05-24T00:10:00Z"),
    );
    const url = new URL(upload.url);
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("600");
    expect(upload.headers).toEqual({ "content-length": "1234", "content-type": "image/png" });
  });
});
