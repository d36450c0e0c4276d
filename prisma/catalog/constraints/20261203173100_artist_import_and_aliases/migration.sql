-- An imported artist names both its catalog and its id there (the pair is what a re-import finds),
-- from a catalog this code speaks to; a popularity outside the catalog's 0 to 100 is a bad import.
ALTER TABLE "artists" ADD CONSTRAINT "artists_external_ref_complete"
  CHECK (("external_source" IS NULL) = ("external_id" IS NULL));
ALTER TABLE "artists" ADD CONSTRAINT "artists_external_source_known"
  CHECK ("external_source" IS NULL OR "external_source" IN ('SPOTIFY'));
ALTER TABLE "artists" ADD CONSTRAINT "artists_popularity_range"
  CHECK ("popularity" IS NULL OR "popularity" BETWEEN 0 AND 100);

-- Alias search is a prefix match on the normalized alias; varchar_pattern_ops lets `LIKE 'term%'`
-- use the index whatever the database's collation (the default operator class needs "C").
CREATE INDEX "artist_aliases_normalized_prefix" ON "artist_aliases" ("normalized" varchar_pattern_ops);
