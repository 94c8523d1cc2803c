-- lookup.lua: what the broker holds of some jobs of one queue, read in one step so a job moving between states
-- is never seen in two or in none (admin job lookup). Read-only.
-- KEYS[1] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[2] <prefix>:{<queue>}:delayed   ZSET  id -> due time (epoch ms)
-- KEYS[3] <prefix>:{<queue>}:leased    ZSET  id -> lease deadline (epoch ms)
-- KEYS[4] <prefix>:{<queue>}:dead      ZSET  id -> time of death (epoch ms)
-- KEYS[5] <prefix>:{<queue>}:attempts  HASH  id -> runs over (see prelude.lua)
-- KEYS[6] <prefix>:{<queue>}:errors    HASH  id -> last error
-- KEYS[7] <prefix>:{<queue>}:unique    ZSET  id -> -(uniqueness window, ms) while stored; end of the window once acked
-- KEYS[8] <prefix>:{<queue>}:cancelled ZSET  id -> -(time of a cancel) while the cancelled job's run goes on; the time of the cancel once it ended
-- ARGV    ids
-- returns per id 8 values: payload, due time, lease deadline, time of death, runs over, last error, unique entry,
--         cancel entry
--         (each false when absent; scores as strings)
-- uses batched() from prelude.lua
local out = {}
local payloads = batched('HMGET', KEYS[1], ARGV, 1)
local due = batched('ZMSCORE', KEYS[2], ARGV, 1)
local leases = batched('ZMSCORE', KEYS[3], ARGV, 1)
local deaths = batched('ZMSCORE', KEYS[4], ARGV, 1)
local over = batched('HMGET', KEYS[5], ARGV, 1)
local errors = batched('HMGET', KEYS[6], ARGV, 1)
local unique = batched('ZMSCORE', KEYS[7], ARGV, 1)
local cancels = batched('ZMSCORE', KEYS[8], ARGV, 1)
for i = 1, #ARGV do
  out[#out + 1] = payloads[i]
  out[#out + 1] = due[i]
  out[#out + 1] = leases[i]
  out[#out + 1] = deaths[i]
  out[#out + 1] = over[i]
  out[#out + 1] = errors[i]
  out[#out + 1] = unique[i]
  out[#out + 1] = cancels[i]
end
return out
