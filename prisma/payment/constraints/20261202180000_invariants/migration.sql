-- Invariants enforced by the database as a last line of defence (kept apart from Prisma's
-- migrations: Prisma models neither CHECKs, partial indexes nor triggers).
ALTER TABLE "payments" ADD CONSTRAINT "payments_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "payments" ADD CONSTRAINT "payments_confirmed_has_key"
  CHECK ("status" NOT IN ('CONFIRMED', 'REFUNDED') OR ("payment_key" IS NOT NULL AND "confirmed_at" IS NOT NULL));
-- One live payment per thing paid for: a reservation cannot be paid twice.
CREATE UNIQUE INDEX "payments_one_live_per_reference" ON "payments" ("kind", "reference_id")
  WHERE "status" IN ('PENDING', 'CONFIRMED');
-- The payment log is an audit trail: append-only.
CREATE FUNCTION payment_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'payment_logs is append-only';
END;
$$;
CREATE TRIGGER payment_logs_append_only BEFORE UPDATE OR DELETE ON "payment_logs"
  FOR EACH ROW EXECUTE FUNCTION payment_logs_append_only();
