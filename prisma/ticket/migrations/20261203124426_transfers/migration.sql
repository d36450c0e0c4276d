-- CreateEnum
CREATE TYPE "TransferStatus" AS ENUM ('LISTED', 'RESERVED', 'COMPLETED', 'CANCELLED');

-- AlterTable
ALTER TABLE "tickets" ADD COLUMN     "code_version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "ticket_revocations" (
    "ticket_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "event_id" UUID NOT NULL,
    "reason" VARCHAR(30) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_revocations_pkey" PRIMARY KEY ("ticket_id","version")
);

-- CreateTable
CREATE TABLE "transfers" (
    "id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "artist_id" UUID NOT NULL,
    "seller_id" UUID NOT NULL,
    "seller_tier" "MembershipTier" NOT NULL,
    "price" INTEGER NOT NULL,
    "fee_percent" INTEGER NOT NULL,
    "fee" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'KRW',
    "status" "TransferStatus" NOT NULL DEFAULT 'LISTED',
    "buyer_id" UUID,
    "reserved_until" TIMESTAMPTZ(3),
    "payment_id" UUID,
    "end_reason" VARCHAR(30),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "transfers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "seller_payouts" (
    "transfer_id" UUID NOT NULL,
    "seller_id" UUID NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'KRW',
    "payment_id" UUID NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "voided_at" TIMESTAMPTZ(3),

    CONSTRAINT "seller_payouts_pkey" PRIMARY KEY ("transfer_id")
);

-- CreateIndex
CREATE INDEX "ticket_revocations_event_id_revoked_at_idx" ON "ticket_revocations"("event_id", "revoked_at");

-- CreateIndex
CREATE UNIQUE INDEX "transfers_payment_id_key" ON "transfers"("payment_id");

-- CreateIndex
CREATE INDEX "transfers_event_id_status_created_at_idx" ON "transfers"("event_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "transfers_artist_id_status_created_at_idx" ON "transfers"("artist_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "transfers_seller_id_created_at_idx" ON "transfers"("seller_id", "created_at");

-- CreateIndex
CREATE INDEX "transfers_buyer_id_created_at_idx" ON "transfers"("buyer_id", "created_at");

-- CreateIndex
CREATE INDEX "transfers_status_reserved_until_idx" ON "transfers"("status", "reserved_until");

-- CreateIndex
CREATE INDEX "seller_payouts_seller_id_recorded_at_idx" ON "seller_payouts"("seller_id", "recorded_at");
