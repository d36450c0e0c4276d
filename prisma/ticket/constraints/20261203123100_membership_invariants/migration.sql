-- Fan-club memberships: what must hold whatever the application does.
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_points_not_negative" CHECK ("points" >= 0);
-- BRONZE is the tier of having no (active) membership; a membership's own tier comes from points.
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_member_tier" CHECK ("tier" <> 'BRONZE');
-- A paid term has an end.
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_paid_has_expiry"
  CHECK ("status" = 'PENDING' OR ("expires_at" IS NOT NULL AND "activated_at" IS NOT NULL));
-- A ticket purchase earns points once, however often its confirmation is delivered.
CREATE UNIQUE INDEX "membership_points_once_per_purchase" ON "membership_point_logs" ("reservation_id")
  WHERE "action" = 'PURCHASE';
-- A payment earns its join or renewal points once.
CREATE UNIQUE INDEX "membership_points_once_per_payment" ON "membership_point_logs" ("payment_id")
  WHERE "payment_id" IS NOT NULL;
-- One open order (what the fan pays next) per membership.
CREATE UNIQUE INDEX "membership_orders_one_open" ON "membership_orders" ("membership_id")
  WHERE "status" = 'OPEN';
ALTER TABLE "membership_orders" ADD CONSTRAINT "membership_orders_paid_by_payment"
  CHECK ("status" = 'OPEN' OR ("payment_id" IS NOT NULL AND "paid_at" IS NOT NULL AND "amount_paid" IS NOT NULL));
-- Booking fees are added, never taken off.
ALTER TABLE "reservation_items" ADD CONSTRAINT "reservation_items_booking_fee_not_negative"
  CHECK ("booking_fee" >= 0);
