-- Empties an event's waiting room (waiters and admitted users); the numbering continues, so a
-- number handed out before the clear never means a place after it. An admin's clear and its audit
-- entry are one atomic step: the envelope (built and validated by the caller, `before`/`after`
-- null) gets the room's figures just before and just after, and joins the audit outbox.
-- KEYS: waiting, seen, active, admitted, meta, busy, audit outbox. ARGV: event, envelope JSON ('' =
-- no entry, e.g. the event was deleted in catalog).
local waiting, seen, active, admitted, meta, busy, outbox =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local lastNumber = tonumber(redis.call('HGET', meta, 'lastNumber') or '0')
local before = {
  queueSize = redis.call('ZCARD', waiting),
  activeUsers = redis.call('ZCARD', active),
  servingNumber = tonumber(redis.call('HGET', meta, 'serving') or '0'),
  lastNumber = lastNumber,
}
redis.call('DEL', waiting, seen, active, admitted)
redis.call('HSET', meta, 'serving', lastNumber)
redis.call('SREM', busy, ARGV[1])
if ARGV[2] ~= '' then
  local entry = cjson.decode(ARGV[2])
  entry.payload.before = before
  entry.payload.after = { queueSize = 0, activeUsers = 0, servingNumber = lastNumber, lastNumber = lastNumber }
  redis.call('RPUSH', outbox, cjson.encode(entry))
end
return before.queueSize + before.activeUsers
