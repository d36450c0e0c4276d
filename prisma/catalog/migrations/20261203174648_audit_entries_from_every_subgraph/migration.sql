-- AlterTable
ALTER TABLE "audit_entries" ADD COLUMN     "reason" VARCHAR(500),
ADD COLUMN     "source" VARCHAR(20) NOT NULL DEFAULT 'catalog',
ALTER COLUMN "entity_id" SET DATA TYPE VARCHAR(100);

-- CreateIndex
CREATE INDEX "audit_entries_source_at_idx" ON "audit_entries"("source", "at");
