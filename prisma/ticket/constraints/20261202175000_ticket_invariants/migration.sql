-- A seat admits one holder: at most one issued ticket per seat, whatever the application does.
CREATE UNIQUE INDEX "tickets_one_issued_per_seat" ON "tickets" ("seat_id")
  WHERE "status" = 'ISSUED' AND "seat_id" IS NOT NULL;
-- A confirmed reservation names the payment that confirmed it.
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_confirmed_paid"
  CHECK ("status" <> 'CONFIRMED' OR ("payment_id" IS NOT NULL AND "confirmed_at" IS NOT NULL));
