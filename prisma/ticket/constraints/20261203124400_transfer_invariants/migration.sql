-- The transfer marketplace: what must hold whatever the application does.
-- One open listing per ticket: two listings of it at once can never both be written.
CREATE UNIQUE INDEX "transfers_one_open_per_ticket" ON "transfers" ("ticket_id")
  WHERE "status" IN ('LISTED', 'RESERVED');
-- No resale above face value is decided by the service; here: amounts are never negative.
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_amounts_not_negative"
  CHECK ("price" >= 0 AND "fee" >= 0 AND "fee_percent" BETWEEN 0 AND 100);
-- A BRONZE fan may not list.
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_seller_is_member" CHECK ("seller_tier" <> 'BRONZE');
-- A reserved listing names its buyer and until when; a completed one its buyer and payment.
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_reserved_has_buyer"
  CHECK ("status" <> 'RESERVED' OR ("buyer_id" IS NOT NULL AND "reserved_until" IS NOT NULL));
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_completed_has_payment"
  CHECK ("status" <> 'COMPLETED' OR ("buyer_id" IS NOT NULL AND "payment_id" IS NOT NULL AND "completed_at" IS NOT NULL));
-- A seller never buys their own listing.
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_buyer_not_seller" CHECK ("buyer_id" IS NULL OR "buyer_id" <> "seller_id");
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_code_version_positive" CHECK ("code_version" >= 1);
