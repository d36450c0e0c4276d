-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "partner" VARCHAR(100) NOT NULL,
    "label" VARCHAR(100),
    "key_prefix" VARCHAR(12) NOT NULL,
    "key_hash" CHAR(64) NOT NULL,
    "scopes" TEXT[],
    "documents" TEXT[],
    "per_minute_quota" INTEGER NOT NULL,
    "per_day_quota" INTEGER NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key_daily_usage" (
    "key_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "operations" INTEGER NOT NULL,

    CONSTRAINT "api_key_daily_usage_pkey" PRIMARY KEY ("key_id","day")
);

-- CreateTable
CREATE TABLE "usage_batches" (
    "id" UUID NOT NULL,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_batches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_created_at_id_idx" ON "api_keys"("created_at", "id");

-- CreateIndex
CREATE INDEX "usage_batches_applied_at_idx" ON "usage_batches"("applied_at");

-- AddForeignKey
ALTER TABLE "api_key_daily_usage" ADD CONSTRAINT "api_key_daily_usage_key_id_fkey" FOREIGN KEY ("key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
