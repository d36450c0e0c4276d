-- AlterTable
ALTER TABLE "artists" ADD COLUMN     "external_id" VARCHAR(64),
ADD COLUMN     "external_source" VARCHAR(20),
ADD COLUMN     "external_url" VARCHAR(500),
ADD COLUMN     "imported_at" TIMESTAMPTZ(3),
ADD COLUMN     "popularity" INTEGER;

-- CreateTable
CREATE TABLE "artist_aliases" (
    "artist_id" UUID NOT NULL,
    "alias" VARCHAR(100) NOT NULL,
    "normalized" VARCHAR(300) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artist_aliases_pkey" PRIMARY KEY ("artist_id","normalized")
);

-- CreateIndex
CREATE UNIQUE INDEX "artists_external_source_external_id_key" ON "artists"("external_source", "external_id");

-- AddForeignKey
ALTER TABLE "artist_aliases" ADD CONSTRAINT "artist_aliases_artist_id_fkey" FOREIGN KEY ("artist_id") REFERENCES "artists"("id") ON DELETE CASCADE ON UPDATE CASCADE;
