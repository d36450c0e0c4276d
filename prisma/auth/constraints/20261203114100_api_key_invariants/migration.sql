-- Invariants of partner API keys, enforced by the database as a last line of defence (kept apart
-- from Prisma's migrations: Prisma models no CHECK constraints).
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_quotas_valid"
  CHECK ("per_minute_quota" >= 1 AND "per_day_quota" >= "per_minute_quota");
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_key_hash_hex" CHECK ("key_hash" ~ '^[0-9a-f]{64}$');
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_has_documents"
  CHECK ("documents" IS NOT NULL AND cardinality("documents") >= 1 AND "scopes" IS NOT NULL);
-- A revocation always names the admin who revoked.
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_revocation_complete"
  CHECK (("revoked_at" IS NULL) = ("revoked_by_id" IS NULL));
ALTER TABLE "api_key_daily_usage" ADD CONSTRAINT "api_key_daily_usage_operations_positive"
  CHECK ("operations" > 0);
