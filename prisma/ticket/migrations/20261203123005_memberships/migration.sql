-- CreateEnum
CREATE TYPE "MembershipTier" AS ENUM ('BRONZE', 'SILVER', 'GOLD', 'DIAMOND');

-- CreateEnum
CREATE TYPE "MembershipStatus" AS ENUM ('PENDING', 'ACTIVE', 'EXPIRED');

-- CreateEnum
CREATE TYPE "MembershipPointAction" AS ENUM ('JOIN', 'RENEWAL', 'PURCHASE', 'TIER_CHANGE', 'EXPIRY');

-- CreateEnum
CREATE TYPE "MembershipOrderStatus" AS ENUM ('OPEN', 'PAID');

-- AlterTable
ALTER TABLE "reservation_items" ADD COLUMN     "booking_fee" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "reservations" ADD COLUMN     "buyer_tier" "MembershipTier" NOT NULL DEFAULT 'BRONZE';

-- CreateTable
CREATE TABLE "catalog_artists" (
    "artist_id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "membership_price" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "catalog_artists_pkey" PRIMARY KEY ("artist_id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "artist_id" UUID NOT NULL,
    "tier" "MembershipTier" NOT NULL DEFAULT 'SILVER',
    "points" INTEGER NOT NULL DEFAULT 0,
    "status" "MembershipStatus" NOT NULL DEFAULT 'PENDING',
    "expires_at" TIMESTAMPTZ(3),
    "activated_at" TIMESTAMPTZ(3),
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "membership_point_logs" (
    "id" UUID NOT NULL,
    "membership_id" UUID NOT NULL,
    "action" "MembershipPointAction" NOT NULL,
    "points" INTEGER NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "reservation_id" UUID,
    "payment_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_point_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "membership_orders" (
    "id" UUID NOT NULL,
    "membership_id" UUID NOT NULL,
    "status" "MembershipOrderStatus" NOT NULL DEFAULT 'OPEN',
    "payment_id" UUID,
    "amount_paid" INTEGER,
    "paid_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_orders_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "memberships_artist_id_created_at_idx" ON "memberships"("artist_id", "created_at");

-- CreateIndex
CREATE INDEX "memberships_status_expires_at_idx" ON "memberships"("status", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_user_id_artist_id_key" ON "memberships"("user_id", "artist_id");

-- CreateIndex
CREATE INDEX "membership_point_logs_membership_id_at_idx" ON "membership_point_logs"("membership_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "membership_orders_payment_id_key" ON "membership_orders"("payment_id");

-- CreateIndex
CREATE INDEX "membership_orders_membership_id_idx" ON "membership_orders"("membership_id");

-- AddForeignKey
ALTER TABLE "membership_point_logs" ADD CONSTRAINT "membership_point_logs_membership_id_fkey" FOREIGN KEY ("membership_id") REFERENCES "memberships"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership_orders" ADD CONSTRAINT "membership_orders_membership_id_fkey" FOREIGN KEY ("membership_id") REFERENCES "memberships"("id") ON DELETE CASCADE ON UPDATE CASCADE;
