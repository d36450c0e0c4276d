-- holdSeats' PostgreSQL half for a buyer without a pending seat selection, in one round trip (the
-- common case of an on-sale stampede; each statement the application sends costs a network round
-- trip and a driver's worth of CPU). The rules are those of SeatHoldService.holdInTransaction:
--   the buyer's lock (per user and event), then their position (each statement below takes its own
--   snapshot, so it sees what a previous holder of the lock committed), the per-person limit, row
--   locks on the seats in id order, existence, event and availability checks, the reservation and
--   its items, and one compare-and-set of every seat to HELD under the Redis fencing token.
-- Outcomes: HELD, REPLACE (the buyer has a pending selection: the application runs the replacing
-- path), LIMIT, MISSING, FOREIGN, TAKEN, TWIN (the same idempotency key won concurrently). A seat
-- that changed between the check and the update (impossible under the row locks) raises UR409 and
-- the whole call rolls back.
CREATE FUNCTION urr_hold_seats(
  p_reservation uuid,
  p_number text,
  p_user uuid,
  p_event uuid,
  p_seats uuid[],
  p_key text,
  p_token bigint,
  p_expires timestamptz,
  p_max int
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_owned bigint;
  v_bad jsonb;
  v_moved int;
  v_items jsonb;
  v_created timestamptz := now();
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_user::text || '|' || p_event::text, 0));

  IF EXISTS (
    SELECT 1 FROM reservations r
    WHERE r.user_id = p_user AND r.event_id = p_event AND r.status = 'PENDING'
      AND EXISTS (SELECT 1 FROM reservation_items i WHERE i.reservation_id = r.id AND i.seat_id IS NOT NULL)
  ) THEN
    RETURN jsonb_build_object('outcome', 'REPLACE');
  END IF;

  SELECT coalesce(sum(i.quantity), 0) INTO v_owned
  FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
  WHERE r.user_id = p_user AND r.event_id = p_event AND r.status IN ('PENDING', 'CONFIRMED');
  IF v_owned + cardinality(p_seats) > p_max THEN
    RETURN jsonb_build_object('outcome', 'LIMIT', 'owned', v_owned);
  END IF;

  PERFORM 1 FROM seats WHERE id = ANY(p_seats) ORDER BY id FOR UPDATE;

  SELECT jsonb_agg(wanted) INTO v_bad
  FROM unnest(p_seats) AS wanted WHERE NOT EXISTS (SELECT 1 FROM seats s WHERE s.id = wanted);
  IF v_bad IS NOT NULL THEN RETURN jsonb_build_object('outcome', 'MISSING', 'seatIds', v_bad); END IF;

  SELECT jsonb_agg(s.id) INTO v_bad FROM seats s WHERE s.id = ANY(p_seats) AND s.event_id <> p_event;
  IF v_bad IS NOT NULL THEN RETURN jsonb_build_object('outcome', 'FOREIGN', 'seatIds', v_bad); END IF;

  SELECT jsonb_agg(jsonb_build_object('id', s.id, 'label', s.label) ORDER BY s.id) INTO v_bad
  FROM seats s WHERE s.id = ANY(p_seats) AND s.status <> 'AVAILABLE';
  IF v_bad IS NOT NULL THEN RETURN jsonb_build_object('outcome', 'TAKEN', 'seats', v_bad); END IF;

  INSERT INTO reservations (id, number, user_id, event_id, status, total_amount, currency, expires_at,
                            idempotency_key, created_at, updated_at)
  SELECT p_reservation, p_number, p_user, p_event, 'PENDING', sum(s.price), 'KRW', p_expires, p_key,
         v_created, v_created
  FROM seats s WHERE s.id = ANY(p_seats)
  ON CONFLICT (user_id, idempotency_key) DO NOTHING;
  IF NOT FOUND THEN RETURN jsonb_build_object('outcome', 'TWIN'); END IF;

  INSERT INTO reservation_items (id, reservation_id, seat_id, quantity, unit_price, fencing_token)
  SELECT gen_random_uuid(), p_reservation, s.id, 1, s.price, p_token FROM seats s WHERE s.id = ANY(p_seats);

  UPDATE seats s SET status = 'HELD', version = s.version + 1, fencing_token = p_token, held_by = p_user,
                     reservation_id = p_reservation
  WHERE s.id = ANY(p_seats) AND s.status = 'AVAILABLE';
  GET DIAGNOSTICS v_moved = ROW_COUNT;
  IF v_moved <> cardinality(p_seats) THEN
    RAISE EXCEPTION 'seats changed under their row locks' USING ERRCODE = 'UR409';
  END IF;

  SELECT jsonb_agg(jsonb_build_object('seatId', s.id, 'price', s.price, 'label', s.label) ORDER BY s.id) INTO v_items
  FROM seats s WHERE s.id = ANY(p_seats);
  RETURN jsonb_build_object('outcome', 'HELD', 'items', v_items, 'createdAt', v_created);
END;
$$;
