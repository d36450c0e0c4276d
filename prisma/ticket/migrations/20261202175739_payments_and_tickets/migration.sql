-- CreateEnum
CREATE TYPE "TicketStatus" AS ENUM ('ISSUED', 'REVOKED');

-- AlterEnum
ALTER TYPE "ReservationStatus" ADD VALUE 'REFUNDED';

-- AlterTable
ALTER TABLE "reservations" ADD COLUMN     "confirmed_at" TIMESTAMPTZ(3),
ADD COLUMN     "payment_id" UUID;

-- CreateTable
CREATE TABLE "tickets" (
    "id" UUID NOT NULL,
    "reservation_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "seat_id" UUID,
    "ticket_type_id" UUID,
    "label" VARCHAR(100) NOT NULL,
    "code" VARCHAR(1000) NOT NULL,
    "status" "TicketStatus" NOT NULL DEFAULT 'ISSUED',
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "tickets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "voided_payments" (
    "payment_id" UUID NOT NULL,
    "voided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "voided_payments_pkey" PRIMARY KEY ("payment_id")
);

-- CreateIndex
CREATE INDEX "tickets_user_id_issued_at_idx" ON "tickets"("user_id", "issued_at");

-- CreateIndex
CREATE INDEX "tickets_reservation_id_idx" ON "tickets"("reservation_id");

-- CreateIndex
CREATE UNIQUE INDEX "reservations_payment_id_key" ON "reservations"("payment_id");
