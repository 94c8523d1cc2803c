-- enqueue.lua: stores new jobs of one queue; ready ones go to the back of the ready list, delayed ones
-- into the delayed set. Idempotent by job id: an id already stored is skipped.
-- KEYS[1] <prefix>:{<queue>}:jobs     HASH  id -> payload
-- KEYS[2] <prefix>:{<queue>}:ready    LIST  ids, pushed right, popped left
-- KEYS[3] <prefix>:{<queue>}:delayed  ZSET  id -> due time (epoch ms)
-- KEYS[4] <prefix>:{<queue>}:wake     LIST  at most one token; idle workers block on it
-- ARGV    triples, repeated: ARGV[3i+1] id, ARGV[3i+2] payload, ARGV[3i+3] due time (epoch ms, 0 = ready now)
-- returns the number of jobs stored
local added, wake = 0, 0
for i = 1, #ARGV, 3 do
  local id = ARGV[i]
  if redis.call('HSETNX', KEYS[1], id, ARGV[i + 1]) == 1 then
    added = added + 1
    local due = tonumber(ARGV[i + 2])
    if due > 0 then
      redis.call('ZADD', KEYS[3], due, id)
    else
      redis.call('RPUSH', KEYS[2], id)
    end
    wake = 1
  end
end
-- a delayed job wakes a worker too, so an idle one learns the new earliest due time
if wake > 0 and redis.call('LLEN', KEYS[4]) == 0 then
  redis.call('RPUSH', KEYS[4], '1')
end
return added
