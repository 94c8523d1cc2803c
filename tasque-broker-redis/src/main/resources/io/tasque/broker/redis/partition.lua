-- partition.lua: sets or shrinks the partition record of one queue (PartitionTable).
-- A record is "k high changedAt": new jobs are spread over partitions 0..k-1, workers fetch from 0..high-1 (high >= k:
-- partitions left over after k was lowered, until they are empty), changedAt is when k last changed (epoch ms).
-- KEYS[1] <prefix>:partitions  HASH  queue -> record
-- ARGV[1] queue
-- ARGV[2] 'set': ARGV[3] the new k, ARGV[4] now (epoch ms); high becomes max(high, new k); returns the old record or false
--         'shrink': ARGV[3] the record the caller saw; high becomes k only if the record is still that one; returns 1
--         if it shrank, 0 if the record changed meanwhile
-- uses expect() from prelude.lua
expect(KEYS[1], 'hash')
local old = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == 'set' then
  local k = tonumber(ARGV[3])
  local high = k
  local changedAt = ARGV[4]
  if old then
    local oldK, oldHigh, oldAt = string.match(old, '^(%d+) (%d+) (%d+)$')
    if oldHigh and tonumber(oldHigh) > high then
      high = tonumber(oldHigh)
    end
    if oldK and tonumber(oldK) == k then
      changedAt = oldAt
    end
  end
  redis.call('HSET', KEYS[1], ARGV[1], k .. ' ' .. high .. ' ' .. changedAt)
  return old
end
if old ~= ARGV[3] then
  return 0
end
local k, _, at = string.match(old, '^(%d+) (%d+) (%d+)$')
redis.call('HSET', KEYS[1], ARGV[1], k .. ' ' .. k .. ' ' .. at)
return 1
