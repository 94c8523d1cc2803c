-- enqueue.lua: stores jobs of one queue, all due at the same time, skipping any id already stored, any id whose
-- done record (a caller-chosen id's uniqueness window after its job succeeded) has not ended, and any id that comes
-- again in the same call; ready ones go to the back of the ready list, delayed ones into the delayed set. The
-- client uses it for ids the caller chose (Broker.enqueue) and to repeat a call whose reply it lost; jobs whose ids
-- it has just made are stored with a plain MULTI/EXEC instead (RedisBroker.storeNew). A job with a uniqueness
-- window gets an entry in the unique set: minus the window, until ack.lua turns it into the window's end. Works in
-- a few variadic commands per call, whatever the number of jobs. Checks every key it writes before its first write
-- (prelude.lua, expect()): a wrong-typed key fails the call with nothing stored.
-- KEYS[1] <prefix>:{<queue>}:jobs     HASH  id -> payload
-- KEYS[2] <prefix>:{<queue>}:ready    LIST  ids, pushed right, popped left
-- KEYS[3] <prefix>:{<queue>}:delayed  ZSET  id -> due time (epoch ms)
-- KEYS[4] <prefix>:{<queue>}:wake     LIST  at most one token; idle workers block on it
-- KEYS[5] <prefix>:{<queue>}:unique   ZSET  id -> -(uniqueness window, ms) while stored; end of the window once acked
-- KEYS[6] <prefix>:{<queue>}:cancelled ZSET  id -> -(time of a cancel) while the cancelled job's run goes on; the time of the cancel once it ended; a caller-chosen id stored
--                                       again loses its record of an earlier cancel
-- ARGV[1] due time of every job of the call (epoch ms, 0 = ready now)
-- ARGV[2] now (epoch ms)
-- ARGV[3…] triples, repeated: id, payload, uniqueness window in ms (-1: an id the client made, no record)
-- returns the number of jobs stored
-- uses batched() and expect() from prelude.lua
local due, now = tonumber(ARGV[1]), tonumber(ARGV[2])
local ids, windows = {}, {}
local chosen = false
for i = 3, #ARGV, 3 do
  ids[#ids + 1] = ARGV[i]
  local w = tonumber(ARGV[i + 2])
  windows[#windows + 1] = w
  if w >= 0 then
    chosen = true
  end
end
local stored = batched('HMGET', KEYS[1], ids, 1)
-- done records are read only when the call has a caller-chosen id; a queue without any has no unique key
local records = {}
if chosen then
  records = batched('ZMSCORE', KEYS[5], ids, 1)
  expect(KEYS[6], 'zset')
end

local fields, members, marks, seen, fresh = {}, {}, {}, {}, {}
for n, id in ipairs(ids) do
  local record = tonumber(records[n])
  if not stored[n] and not seen[id] and not (record and record > now) then
    seen[id] = true
    fresh[#fresh + 1] = id
    fields[#fields + 1] = id
    fields[#fields + 1] = ARGV[3 * n + 1]
    if due > 0 then
      members[#members + 1] = ARGV[1] -- as sent: a Lua number would be formatted again for every job
    end
    members[#members + 1] = id
    if windows[n] > 0 then
      marks[#marks + 1] = -windows[n]
      marks[#marks + 1] = id
    end
  end
end
if #fields == 0 then
  return 0
end
-- the payload hash (and the unique set, when there are marks) was read above; the list or set the ids go to and
-- the wake list are checked here
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
if chosen then
  batched('ZREM', KEYS[6], fresh, 1)
end
if #marks > 0 then
  -- an ended record of an id stored again is overwritten here; other ended ones are trimmed by housekeep.lua
  batched('ZADD', KEYS[5], marks, 2)
end
-- a delayed job wakes a worker too, so an idle one learns the new earliest due time
if idle then
  redis.call('RPUSH', KEYS[4], '1')
end
return #fields / 2
