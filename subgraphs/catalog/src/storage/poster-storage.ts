/** Where poster images live. The catalog hands out upload URLs; clients upload directly. */
export interface PresignedUpload {
  url: string;
  method: "PUT";
  headers: Record<string, string>;
}

export interface PosterStorage {
  presignUpload(
    key: string,
    contentType: string,
    contentLength: number,
    expiresAt: Date,
  ): Promise<PresignedUpload>;
  /** Whether an object was uploaded under the key. */
  exists(key: string): Promise<boolean>;
  publicUrl(key: string): string;
}

export const POSTER_TYPES: Readonly<Record<string, string>> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
};

export const POSTER_KEY = /^posters\/[0-9a-f-]{36}\.(jpg|png|webp)$/;
