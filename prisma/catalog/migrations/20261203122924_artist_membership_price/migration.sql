-- AlterTable
ALTER TABLE "artists" ADD COLUMN     "membership_price" INTEGER NOT NULL DEFAULT 30000,
ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 1;
