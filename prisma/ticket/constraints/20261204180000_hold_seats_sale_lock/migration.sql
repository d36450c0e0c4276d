-- urr_hold_seats takes the event's sale lock (a shared advisory lock) before anything else. An
-- event's closure in ticket takes the same lock exclusive before it ends the event's pending holds,
-- so no hold is in flight while it runs. Before this, a closure locked every seat of the event to
-- wait for holds in flight and then looked for pending holds again; a buyer replacing a selection
-- made in between held that reservation's row while waiting for the seats the closure held, and
-- PostgreSQL ended the deadlock by failing one side (seen as an internal error on the hold).
-- Everything else is as in 20261203180000_hold_seats_lifecycle_events.
DROP FUNCTION IF EXISTS urr_hold_seats(uuid, text, uuid, uuid, uuid[], text, bigint, timestamptz, int, text, int, text);

CREATE FUNCTION urr_hold_seats(
  p_reservation uuid,
  p_number text,
  p_user uuid,
  p_event uuid,
  p_seats uuid[],
  p_key text,
  p_token bigint,
  p_expires timestamptz,
  p_max int,
  p_tier text,
  p_fee int,
  p_traceparent text
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_previous uuid;
  v_owned bigint;
  v_bad jsonb;
  v_moved int;
  v_items jsonb;
  v_released jsonb := '[]'::jsonb;
  v_created timestamptz := now();
  v_at text;
  v_event uuid;
  v_lines jsonb;
  v_previous_quantity bigint;
BEGIN
  -- The event's sale lock, shared, before any other: an event's closure takes it exclusive first
  -- (ticket's endPendingHolds), so it waits for the holds in flight and a later hold waits for it,
  -- then is refused below (UH007). The key is the one ticket's enterSale/closeSale spell.
  PERFORM pg_advisory_xact_lock_shared(hashtextextended('sale|' || p_event::text, 0));
  PERFORM pg_advisory_xact_lock(hashtextextended(p_user::text || '|' || p_event::text, 0));

  SELECT r.id INTO v_previous FROM reservations r
  WHERE r.user_id = p_user AND r.event_id = p_event AND r.status = 'PENDING'
    AND EXISTS (SELECT 1 FROM reservation_items i WHERE i.reservation_id = r.id AND i.seat_id IS NOT NULL)
  ORDER BY r.created_at DESC LIMIT 1 FOR UPDATE;

  SELECT coalesce(sum(i.quantity), 0) INTO v_owned
  FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
  WHERE r.user_id = p_user AND r.event_id = p_event AND r.status IN ('PENDING', 'CONFIRMED')
    AND r.id IS DISTINCT FROM v_previous;
  IF v_owned + cardinality(p_seats) > p_max THEN
    RAISE EXCEPTION 'over the per-person ticket limit' USING ERRCODE = 'UH001', HINT = 'LIMIT',
      DETAIL = jsonb_build_object('owned', v_owned)::text;
  END IF;

  PERFORM 1 FROM seats
  WHERE id = ANY(p_seats) OR (v_previous IS NOT NULL AND reservation_id = v_previous)
  ORDER BY id FOR UPDATE;

  IF EXISTS (
    SELECT 1 FROM catalog_events e WHERE e.event_id = p_event AND (e.cancelled_at IS NOT NULL OR e.deleted)
  ) THEN
    RAISE EXCEPTION 'the event is no longer on sale' USING ERRCODE = 'UH007', HINT = 'EVENT_CLOSED', DETAIL = '{}';
  END IF;

  SELECT jsonb_agg(wanted) INTO v_bad
  FROM unnest(p_seats) AS wanted WHERE NOT EXISTS (SELECT 1 FROM seats s WHERE s.id = wanted);
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'no such seats' USING ERRCODE = 'UH002', HINT = 'MISSING',
      DETAIL = jsonb_build_object('seatIds', v_bad)::text;
  END IF;

  SELECT jsonb_agg(s.id) INTO v_bad FROM seats s WHERE s.id = ANY(p_seats) AND s.event_id <> p_event;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'seats of another event' USING ERRCODE = 'UH003', HINT = 'FOREIGN',
      DETAIL = jsonb_build_object('seatIds', v_bad)::text;
  END IF;

  SELECT jsonb_agg(jsonb_build_object('id', s.id, 'label', s.label) ORDER BY s.id) INTO v_bad
  FROM seats s
  WHERE s.id = ANY(p_seats)
    AND NOT (s.status = 'AVAILABLE' OR (s.status = 'HELD' AND v_previous IS NOT NULL AND s.reservation_id = v_previous));
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'seats no longer available' USING ERRCODE = 'UH004', HINT = 'TAKEN',
      DETAIL = jsonb_build_object('seats', v_bad)::text;
  END IF;

  INSERT INTO reservations (id, number, user_id, event_id, status, total_amount, currency, expires_at,
                            idempotency_key, buyer_tier, created_at, updated_at)
  SELECT p_reservation, p_number, p_user, p_event, 'PENDING', sum(s.price + p_fee), 'KRW', p_expires, p_key,
         p_tier::"MembershipTier", v_created, v_created
  FROM seats s WHERE s.id = ANY(p_seats)
  ON CONFLICT (user_id, idempotency_key) DO NOTHING;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'a concurrent request with the same idempotency key won' USING ERRCODE = 'UH005',
      HINT = 'TWIN', DETAIL = '{}';
  END IF;

  INSERT INTO reservation_items (id, reservation_id, seat_id, quantity, unit_price, booking_fee, fencing_token)
  SELECT gen_random_uuid(), p_reservation, s.id, 1, s.price, p_fee, p_token FROM seats s WHERE s.id = ANY(p_seats);

  IF v_previous IS NOT NULL THEN
    -- A selection holds seats only (general admission is reserved apart), so releasing it is
    -- giving its seats back.
    WITH released AS (
      UPDATE seats s SET status = 'AVAILABLE', version = s.version + 1, fencing_token = 0, held_by = NULL,
                         reservation_id = NULL
      FROM (SELECT id, fencing_token FROM seats WHERE reservation_id = v_previous AND status = 'HELD') AS held
      WHERE s.id = held.id
      RETURNING s.id, held.fencing_token
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'token', fencing_token::text)), '[]'::jsonb)
    INTO v_released FROM released WHERE NOT (id = ANY(p_seats));
    UPDATE reservations SET status = 'CANCELLED', end_reason = 'REPLACED', updated_at = v_created
    WHERE id = v_previous;
  END IF;
  -- As the reservation's created_at (timestamptz(3) rounds to the millisecond) reads back.
  v_at := to_char(v_created::timestamptz(3) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

  UPDATE seats s SET status = 'HELD', version = s.version + 1, fencing_token = p_token, held_by = p_user,
                     reservation_id = p_reservation
  WHERE s.id = ANY(p_seats) AND s.status = 'AVAILABLE';
  GET DIAGNOSTICS v_moved = ROW_COUNT;
  IF v_moved <> cardinality(p_seats) THEN
    RAISE EXCEPTION 'seats changed under their row locks' USING ERRCODE = 'UH006', HINT = 'CHANGED', DETAIL = '{}';
  END IF;

  SELECT jsonb_agg(jsonb_build_object('seatId', s.id, 'price', s.price, 'label', s.label) ORDER BY s.id) INTO v_items
  FROM seats s WHERE s.id = ANY(p_seats);

  -- The events, only now that every check passed (a refusal above rolls them back with the rest).
  SELECT jsonb_agg(jsonb_build_object('seatId', s.id, 'ticketTypeId', NULL, 'section', s.section,
                                      'priceTier', s.price_tier, 'quantity', 1, 'unitPrice', s.price,
                                      'bookingFee', p_fee) ORDER BY s.id) INTO v_lines
  FROM seats s WHERE s.id = ANY(p_seats);
  v_event := gen_random_uuid();
  INSERT INTO outbox_events (id, topic, message_key, event_type, envelope, created_at, traceparent)
  SELECT v_event, 'reservation-events', p_reservation::text, 'reservation.created',
         jsonb_build_object('id', v_event, 'type', 'reservation.created', 'version', 1, 'occurredAt', v_at,
           'aggregateId', p_reservation, 'sagaId', NULL, 'payload', jsonb_build_object(
             'reservationId', p_reservation, 'userId', p_user, 'eventId', p_event,
             'quantity', jsonb_array_length(v_lines), 'totalAmount', r.total_amount, 'currency', r.currency,
             'buyerTier', p_tier, 'lines', v_lines, 'createdAt', v_at,
             'expiresAt', to_char(p_expires::timestamptz(3) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
         v_created, p_traceparent
  FROM reservations r WHERE r.id = p_reservation;

  IF v_previous IS NOT NULL THEN
    SELECT sum(i.quantity) INTO v_previous_quantity FROM reservation_items i WHERE i.reservation_id = v_previous;
    v_event := gen_random_uuid();
    INSERT INTO outbox_events (id, topic, message_key, event_type, envelope, created_at, traceparent)
    VALUES (v_event, 'reservation-events', v_previous::text, 'reservation.cancelled',
            jsonb_build_object('id', v_event, 'type', 'reservation.cancelled', 'version', 1, 'occurredAt', v_at,
              'aggregateId', v_previous, 'sagaId', NULL, 'payload', jsonb_build_object(
                'reservationId', v_previous, 'userId', p_user, 'eventId', p_event,
                'quantity', v_previous_quantity, 'reason', 'REPLACED', 'cancelledAt', v_at)),
            v_created, p_traceparent);
  END IF;
  RETURN jsonb_build_object('outcome', 'HELD', 'items', v_items, 'createdAt', v_created,
                            'previousId', v_previous, 'released', v_released);
END;
$$;
