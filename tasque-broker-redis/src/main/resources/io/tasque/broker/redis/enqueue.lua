-- enqueue.lua: stores jobs of one queue, all due at the same time, skipping any id already stored; ready ones
-- go to the back of the ready list, delayed ones into the delayed set. The client uses it for ids it did not
-- just make (Broker.enqueue) and to repeat a call whose reply it lost; jobs whose ids it has just made are
-- stored with a plain MULTI/EXEC instead (RedisBroker.storeNew). Works in a few variadic commands per call,
-- whatever the number of jobs. Checks every key it writes before its first write (prelude.lua, expect()): a
-- wrong-typed key fails the call with nothing stored.
-- KEYS[1] <prefix>:{<queue>}:jobs     HASH  id -> payload
-- KEYS[2] <prefix>:{<queue>}:ready    LIST  ids, pushed right, popped left
-- KEYS[3] <prefix>:{<queue>}:delayed  ZSET  id -> due time (epoch ms)
-- KEYS[4] <prefix>:{<queue>}:wake     LIST  at most one token; idle workers block on it
-- ARGV[1] due time of every job of the call (epoch ms, 0 = ready now)
-- ARGV[2…] pairs, repeated: id, payload
-- returns the number of jobs stored
-- uses batched() and expect() from prelude.lua
local due = tonumber(ARGV[1])
local ids = {}
for i = 2, #ARGV, 2 do
  ids[#ids + 1] = ARGV[i]
end
local stored = batched('HMGET', KEYS[1], ids, 1)

local fields, members = {}, {}
for n, id in ipairs(ids) do
  if not stored[n] then
    fields[#fields + 1] = id
    fields[#fields + 1] = ARGV[2 * n + 1]
    if due > 0 then
      members[#members + 1] = ARGV[1] -- as sent: a Lua number would be formatted again for every job
    end
    members[#members + 1] = id
  end
end
if #fields == 0 then
  return 0
end
-- the payload hash was read above; the list or set the ids go to and the wake list are checked here
if due > 0 then
  expect(KEYS[3], 'zset')
else
  expect(KEYS[2], 'list')
end
local idle = redis.call('LLEN', KEYS[4]) == 0
batched('HSET', KEYS[1], fields, 2)
if due > 0 then
  batched('ZADD', KEYS[3], members, 2)
else
  batched('RPUSH', KEYS[2], members, 1)
end
-- a delayed job wakes a worker too, so an idle one learns the new earliest due time
if idle then
  redis.call('RPUSH', KEYS[4], '1')
end
return #fields / 2
