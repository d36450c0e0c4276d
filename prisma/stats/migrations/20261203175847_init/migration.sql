-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "stats_reservations" (
    "reservation_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "quantity" INTEGER,
    "total_amount" INTEGER,
    "currency" CHAR(3),
    "buyer_tier" VARCHAR(10),
    "created_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "confirmed_at" TIMESTAMPTZ(3),
    "sold_quantity" INTEGER,
    "sold_amount" INTEGER,
    "payment_id" UUID,
    "cancelled_at" TIMESTAMPTZ(3),
    "cancel_reason" VARCHAR(30),
    "expired_at" TIMESTAMPTZ(3),
    "released_quantity" INTEGER,
    "refunded_at" TIMESTAMPTZ(3),

    CONSTRAINT "stats_reservations_pkey" PRIMARY KEY ("reservation_id")
);

-- CreateTable
CREATE TABLE "stats_reservation_lines" (
    "reservation_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "seat_id" UUID,
    "ticket_type_id" UUID,
    "section" VARCHAR(50),
    "price_tier" VARCHAR(100) NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price" INTEGER NOT NULL,
    "booking_fee" INTEGER NOT NULL,

    CONSTRAINT "stats_reservation_lines_pkey" PRIMARY KEY ("reservation_id","line")
);

-- CreateTable
CREATE TABLE "stats_confirmation_rejections" (
    "payment_id" UUID NOT NULL,
    "reservation_id" UUID NOT NULL,
    "reason" VARCHAR(30) NOT NULL,
    "rejected_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stats_confirmation_rejections_pkey" PRIMARY KEY ("payment_id")
);

-- CreateTable
CREATE TABLE "stats_payments" (
    "payment_id" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "reference_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "method" VARCHAR(50),
    "confirmed_at" TIMESTAMPTZ(3),
    "refunded_at" TIMESTAMPTZ(3),
    "refund_reason" VARCHAR(100),

    CONSTRAINT "stats_payments_pkey" PRIMARY KEY ("payment_id")
);

-- CreateTable
CREATE TABLE "stats_transfers" (
    "transfer_id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "event_id" UUID,
    "seller_id" UUID,
    "buyer_id" UUID,
    "price" INTEGER,
    "fee" INTEGER,
    "listed_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "payment_id" UUID,
    "cancelled_at" TIMESTAMPTZ(3),
    "cancel_reason" VARCHAR(30),

    CONSTRAINT "stats_transfers_pkey" PRIMARY KEY ("transfer_id")
);

-- CreateTable
CREATE TABLE "stats_memberships" (
    "membership_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "artist_id" UUID NOT NULL,
    "tier" VARCHAR(10) NOT NULL,
    "points" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revision" INTEGER NOT NULL,
    "lapsed" BOOLEAN NOT NULL,
    "activated_at" TIMESTAMPTZ(3),

    CONSTRAINT "stats_memberships_pkey" PRIMARY KEY ("membership_id")
);

-- CreateTable
CREATE TABLE "stats_membership_renewals" (
    "payment_id" UUID NOT NULL,
    "membership_id" UUID NOT NULL,
    "renewed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stats_membership_renewals_pkey" PRIMARY KEY ("payment_id")
);

-- CreateTable
CREATE TABLE "stats_admissions" (
    "event_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "queue_number" INTEGER NOT NULL,
    "admitted_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stats_admissions_pkey" PRIMARY KEY ("event_id","user_id","queue_number")
);

-- CreateTable
CREATE TABLE "event_journal" (
    "event_id" UUID NOT NULL,
    "topic" VARCHAR(100) NOT NULL,
    "event_type" VARCHAR(100) NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "applied_at" TIMESTAMPTZ(3) NOT NULL,
    "envelope" JSONB NOT NULL,

    CONSTRAINT "event_journal_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "processed_events" (
    "event_id" UUID NOT NULL,
    "event_type" VARCHAR(100) NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "stats_reservations_event_id_idx" ON "stats_reservations"("event_id");

-- CreateIndex
CREATE INDEX "stats_reservations_created_at_idx" ON "stats_reservations"("created_at");

-- CreateIndex
CREATE INDEX "stats_reservations_confirmed_at_idx" ON "stats_reservations"("confirmed_at");

-- CreateIndex
CREATE INDEX "stats_reservations_cancelled_at_idx" ON "stats_reservations"("cancelled_at");

-- CreateIndex
CREATE INDEX "stats_reservations_expired_at_idx" ON "stats_reservations"("expired_at");

-- CreateIndex
CREATE INDEX "stats_reservations_refunded_at_idx" ON "stats_reservations"("refunded_at");

-- CreateIndex
CREATE INDEX "stats_reservations_expires_at_idx" ON "stats_reservations"("expires_at");

-- CreateIndex
CREATE INDEX "stats_confirmation_rejections_rejected_at_idx" ON "stats_confirmation_rejections"("rejected_at");

-- CreateIndex
CREATE INDEX "stats_payments_confirmed_at_idx" ON "stats_payments"("confirmed_at");

-- CreateIndex
CREATE INDEX "stats_payments_refunded_at_idx" ON "stats_payments"("refunded_at");

-- CreateIndex
CREATE INDEX "stats_transfers_completed_at_idx" ON "stats_transfers"("completed_at");

-- CreateIndex
CREATE INDEX "stats_transfers_event_id_idx" ON "stats_transfers"("event_id");

-- CreateIndex
CREATE INDEX "stats_memberships_activated_at_idx" ON "stats_memberships"("activated_at");

-- CreateIndex
CREATE INDEX "stats_membership_renewals_renewed_at_idx" ON "stats_membership_renewals"("renewed_at");

-- CreateIndex
CREATE INDEX "stats_admissions_admitted_at_idx" ON "stats_admissions"("admitted_at");

-- CreateIndex
CREATE INDEX "event_journal_applied_at_idx" ON "event_journal"("applied_at");

-- CreateIndex
CREATE INDEX "event_journal_occurred_at_event_id_idx" ON "event_journal"("occurred_at", "event_id");

-- AddForeignKey
ALTER TABLE "stats_reservation_lines" ADD CONSTRAINT "stats_reservation_lines_reservation_id_fkey" FOREIGN KEY ("reservation_id") REFERENCES "stats_reservations"("reservation_id") ON DELETE CASCADE ON UPDATE CASCADE;
