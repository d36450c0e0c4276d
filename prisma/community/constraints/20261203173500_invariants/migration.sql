-- Invariants enforced by the database as a last line of defence behind the domain services (kept
-- apart from Prisma's migrations: Prisma models no CHECKs).
-- Counters never go below zero: a decrement applied twice fails its transaction instead.
ALTER TABLE "posts" ADD CONSTRAINT "posts_comment_count_non_negative" CHECK ("comment_count" >= 0);
ALTER TABLE "posts" ADD CONSTRAINT "posts_view_count_non_negative" CHECK ("view_count" >= 0);
-- The length limits of domain/content-rules.ts, in characters (code points), as PostgreSQL counts.
ALTER TABLE "news" ADD CONSTRAINT "news_title_length" CHECK (char_length("title") BETWEEN 1 AND 200);
ALTER TABLE "news" ADD CONSTRAINT "news_body_length" CHECK (char_length("body") BETWEEN 1 AND 20000);
ALTER TABLE "posts" ADD CONSTRAINT "posts_title_length" CHECK (char_length("title") BETWEEN 1 AND 200);
ALTER TABLE "posts" ADD CONSTRAINT "posts_body_length" CHECK (char_length("body") BETWEEN 1 AND 10000);
ALTER TABLE "comments" ADD CONSTRAINT "comments_body_length" CHECK (char_length("body") BETWEEN 1 AND 2000);
-- Published news has a publication time; a draft has none.
ALTER TABLE "news" ADD CONSTRAINT "news_published_has_time"
  CHECK (("status" = 'PUBLISHED') = ("published_at" IS NOT NULL));
-- A hidden post or comment names who hid it and why.
ALTER TABLE "posts" ADD CONSTRAINT "posts_hidden_complete"
  CHECK (("hidden_at" IS NULL) = ("hidden_by" IS NULL) AND ("hidden_at" IS NULL) = ("hidden_reason" IS NULL));
ALTER TABLE "comments" ADD CONSTRAINT "comments_hidden_complete"
  CHECK (("hidden_at" IS NULL) = ("hidden_by" IS NULL) AND ("hidden_at" IS NULL) = ("hidden_reason" IS NULL));
