-- Invariants the application relies on, enforced by the database as a last line of defence.
-- Kept apart from Prisma's migrations: Prisma does not model CHECK constraints, and its WebAssembly
-- schema engine cannot introspect them (see packages/db/src/migrations.ts).
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_quantity_bounds"
  CHECK ("available_quantity" >= 0 AND "available_quantity" <= "total_quantity" AND "price" >= 0);
ALTER TABLE "seats" ADD CONSTRAINT "seats_hold_consistency"
  CHECK (("status" = 'AVAILABLE') = ("reservation_id" IS NULL));
ALTER TABLE "reservation_items" ADD CONSTRAINT "reservation_items_one_target"
  CHECK (("seat_id" IS NULL) <> ("ticket_type_id" IS NULL) AND "quantity" > 0);
