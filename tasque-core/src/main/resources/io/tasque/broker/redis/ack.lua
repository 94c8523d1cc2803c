-- ack.lua: removes finished jobs of one queue for good, but only those whose lease the caller still holds.
-- Works in a few variadic commands per call, whatever the number of jobs.
-- KEYS[1] <prefix>:{<queue>}:leased    ZSET  id -> lease deadline
-- KEYS[2] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[3] <prefix>:{<queue>}:attempts  HASH  id -> runs started
-- KEYS[4] <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- KEYS[5] <prefix>:{<queue>}:errors    HASH  id -> last error
-- ARGV    pairs, repeated: ARGV[2i+1] id, ARGV[2i+2] attempt (the lease token)
-- returns one integer per pair: 1 acked, 0 lease no longer held (stale owner; nothing changed)
-- uses batched() from prelude.lua
local ids = {}
for i = 1, #ARGV, 2 do
  ids[#ids + 1] = ARGV[i]
end
local runs = batched('HMGET', KEYS[3], ids, 1)
local leases = batched('ZMSCORE', KEYS[1], ids, 1)
local done, retried, out, seen = {}, {}, {}, {}
for n, id in ipairs(ids) do
  if runs[n] == ARGV[2 * n] and leases[n] and not seen[id] then
    seen[id] = true
    done[#done + 1] = id
    if runs[n] ~= '1' then
      retried[#retried + 1] = id
    end
    out[n] = 1
  else
    out[n] = 0
  end
end
if #done > 0 then
  batched('ZREM', KEYS[1], done, 1)
  batched('HDEL', KEYS[2], done, 1)
  batched('HDEL', KEYS[3], done, 1)
end
-- only a job that ran before can have an expiry count or a last error
if #retried > 0 then
  batched('HDEL', KEYS[4], retried, 1)
  batched('HDEL', KEYS[5], retried, 1)
end
return out
