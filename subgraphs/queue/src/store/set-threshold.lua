-- An admin sets an event's admission threshold. The change and its audit entry are one atomic step:
-- the audit.recorded envelope (built and validated by the caller, `before`/`after` null) gets the
-- threshold as it was and as it is now, read here, and joins the audit outbox with the change.
-- KEYS: meta, audit outbox. ARGV: threshold, default threshold, envelope JSON ('' = no entry).
-- Returns the threshold before.
local meta, outbox = KEYS[1], KEYS[2]
local threshold, defaultThreshold = tonumber(ARGV[1]), tonumber(ARGV[2])
local before = tonumber(redis.call('HGET', meta, 'threshold') or defaultThreshold)
redis.call('HSET', meta, 'threshold', threshold)
if ARGV[3] ~= '' then
  local entry = cjson.decode(ARGV[3])
  entry.payload.before = { threshold = before }
  entry.payload.after = { threshold = threshold }
  redis.call('RPUSH', outbox, cjson.encode(entry))
end
return before
