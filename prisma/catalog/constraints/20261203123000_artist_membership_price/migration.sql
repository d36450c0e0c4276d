-- A fan club costs something: payment refuses amounts below one won, so a price of 0 could never be paid.
ALTER TABLE "artists" ADD CONSTRAINT "artists_membership_price_positive" CHECK ("membership_price" > 0);
