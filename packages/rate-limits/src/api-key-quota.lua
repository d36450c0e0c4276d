-- One API key's fixed windows, checked and counted together.
-- KEYS[1] this minute's counter, KEYS[2] this UTC day's counter;
-- ARGV[1] per minute, ARGV[2] per day, ARGV[3] minute key ttl ms, ARGV[4] day key ttl ms.
-- Returns {counted (0|1), minute count, day count} (counts before this call when refused).
local minute = tonumber(redis.call('GET', KEYS[1]) or '0')
local day = tonumber(redis.call('GET', KEYS[2]) or '0')
if day >= tonumber(ARGV[2]) or minute >= tonumber(ARGV[1]) then
  return {0, minute, day}
end
minute = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
day = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return {1, minute, day}
