-- The sliding window of sliding-window.ts, atomically: one subject's slots in one hash.
-- KEYS[1] hash slot number -> count; ARGV[1] now (ms), ARGV[2] limit, ARGV[3] slot ms, ARGV[4] slots.
-- Returns {allowed (0|1), remaining, reset ms, retry ms}.
local key = KEYS[1]
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local slotMs, slots = tonumber(ARGV[3]), tonumber(ARGV[4])
local current = math.floor(now / slotMs)
local oldest = current - slots + 1
local function leavesAt(slot) return (slot + slots) * slotMs - now end

local counted, countOf, used = {}, {}, 0
local stored = redis.call('HGETALL', key)
for i = 1, #stored, 2 do
  local slot, count = tonumber(stored[i]), tonumber(stored[i + 1])
  if slot < oldest then
    redis.call('HDEL', key, stored[i])
  else
    counted[#counted + 1] = slot
    countOf[slot] = count
    used = used + count
  end
end
table.sort(counted)

if used < limit then
  redis.call('HINCRBY', key, current, 1)
  -- The hash lives as long as its newest slot counts.
  redis.call('PEXPIRE', key, leavesAt(current))
  local first = counted[1] or current
  -- A replica whose clock runs ahead may have counted slots after this one.
  if current < first then first = current end
  return {1, limit - used - 1, leavesAt(first), 0}
end

-- Refused: wait until enough of the oldest slots have left to make room for one call.
local freed, retry = 0, slots * slotMs
for _, slot in ipairs(counted) do
  freed = freed + countOf[slot]
  if used - freed < limit then
    retry = leavesAt(slot)
    break
  end
end
local reset = retry
if counted[1] then reset = leavesAt(counted[1]) end
return {0, 0, reset, retry}
