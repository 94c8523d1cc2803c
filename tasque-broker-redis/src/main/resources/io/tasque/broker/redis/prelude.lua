-- prelude.lua: helpers and the attempts rule put in front of every script of this folder when it is loaded (LuaScript), so each
-- script stays self-contained on the server while its source is written once here.
local SLICE = 500
-- calls cmd on key with the list's items, at most SLICE * width of them per call; returns the replies joined
local function batched(cmd, key, list, width)
  local step = SLICE * width
  if #list <= step then
    return redis.call(cmd, key, unpack(list))
  end
  local out = {}
  for i = 1, #list, step do
    local part = redis.call(cmd, key, unpack(list, i, math.min(i + step - 1, #list)))
    if type(part) == 'table' then
      for _, v in ipairs(part) do
        out[#out + 1] = v
      end
    end
  end
  return out
end

-- Redis does not roll back a script that fails part-way, so every script makes sure, before its first write, that
-- each key it writes holds the type tasque keeps there (or nothing): a key it reads first is checked by that read,
-- which fails on a wrong type; any other key is checked here. A wrong-typed key (an operator's SET, a stray tool)
-- then fails the call with nothing changed, instead of taking jobs off one key and failing to put them on the next.
local function expect(key, kind)
  local t = redis.call('TYPE', key)['ok']
  if t ~= kind and t ~= 'none' then
    error({ err = 'WRONGTYPE ' .. key .. ' holds a ' .. t .. ', not a ' .. kind .. '; nothing was changed' })
  end
end

-- The attempts hash counts a job's runs that are over (failed, timed out, lease expired); a job that never ran
-- or only ever succeeded has no entry. A leased job's attempt, which is also its lease's fencing token, is
-- therefore its count + 1, and leasing and acking a first run write nothing to the hash.

-- the token (attempt) of a leased job with this many runs over, as the caller sends it
local function token(over)
  if over == 0 then
    return '1'
  end
  return tostring(over + 1)
end

-- the counts of ids (0 where none), in one HMGET; none at all when the hash is empty, the common case
local function runsOver(attempts, ids)
  local counts = {}
  if redis.call('EXISTS', attempts) == 1 then
    local stored = batched('HMGET', attempts, ids, 1)
    for i = 1, #ids do
      counts[i] = tonumber(stored[i]) or 0
    end
  else
    for i = 1, #ids do
      counts[i] = 0
    end
  end
  return counts
end

-- A leased set holds one more member than its leases: KEEPER, scored +inf so no deadline query ever returns it.
-- Being longer than zset-max-listpack-value (64 bytes by default), it makes Redis store the set as a skiplist
-- from its creation on (reserve.lua adds it first). In a listpack every ZADD, ZMSCORE and ZREM scans the whole
-- set, so leasing and acking a batch of n jobs would cost O(n^2); with the keeper they cost O(n log n).
local KEEPER = '~tasque: keeps this set a skiplist; it is longer than zset-max-listpack-value (64 bytes)'

-- deletes a leased set whose last lease has ended, so an idle queue has no leased key (the janitor's pass over
-- it is then one EXISTS) and the next lease creates the set, keeper first, again
local function dropIfNoLeases(leased)
  if redis.call('ZCARD', leased) == 1 and redis.call('ZSCORE', leased, KEEPER) then
    redis.call('DEL', leased)
  end
end

-- ends the lease of id if attempt (a string, as the caller sent it) is the one holding it; false if not held
local function endLease(leased, attempts, id, attempt)
  local over = tonumber(redis.call('HGET', attempts, id)) or 0
  if token(over) == attempt and redis.call('ZREM', leased, id) == 1 then
    dropIfNoLeases(leased)
    return true
  end
  return false
end

-- A job cancelled while it runs (cancel.lua) keeps its payload and its lease until that run ends, so its id stays
-- taken and no other run can be given its lease token meanwhile; its entry in the cancelled set is minus the time
-- of the cancel. Whatever ends the run (ack, retry, bury, release, or its lease running out) settles it instead:
-- the job is deleted, not acked, retried, dead-lettered or put back, and the entry turns into the time of the
-- cancel, the record lookups show until housekeep.lua trims it.

-- true if a cancel of id is pending (its run has not ended)
local function cancelPending(cancelled, id)
  local at = redis.call('ZSCORE', cancelled, id)
  return at ~= false and at ~= nil and tonumber(at) < 0
end

-- splits ids (whose leases end now) into those with a pending cancel, with the times of their cancels, and the others;
-- a queue where nothing was cancelled has no cancelled set, and this costs one EXISTS
local function splitCancelled(cancelled, ids)
  local stopped, stoppedAt, kept = {}, {}, ids
  if #ids > 0 and redis.call('EXISTS', cancelled) == 1 then
    local marks = batched('ZMSCORE', cancelled, ids, 1)
    kept = {}
    for n, id in ipairs(ids) do
      local at = tonumber(marks[n])
      if at and at < 0 then
        stopped[#stopped + 1] = id
        stoppedAt[#stoppedAt + 1] = -at
      else
        kept[#kept + 1] = id
      end
    end
  end
  return stopped, stoppedAt, kept
end

-- deletes jobs (ids) for good and records them cancelled at the times given (positive); every key must have been
-- read or checked by the caller
local function dropCancelled(jobs, attempts, expired, errors, unique, cancelled, ids, times)
  local marks = {}
  for n, id in ipairs(ids) do
    marks[#marks + 1] = times[n]
    marks[#marks + 1] = id
  end
  batched('HDEL', jobs, ids, 1)
  batched('HDEL', attempts, ids, 1)
  batched('HDEL', expired, ids, 1)
  batched('HDEL', errors, ids, 1)
  batched('ZREM', unique, ids, 1)
  batched('ZADD', cancelled, marks, 2)
end

-- for retry.lua, bury.lua and release.lua: when a cancel of id is pending, ends its run as cancelled (if the caller
-- holds its lease) and returns true, the caller then returning 0; false when no cancel is pending
local function settledCancelled(leased, jobs, attempts, expired, errors, unique, cancelled, id, attempt)
  local at = redis.call('ZSCORE', cancelled, id)
  if not at or tonumber(at) >= 0 then
    return false
  end
  expect(jobs, 'hash')
  expect(expired, 'hash')
  expect(errors, 'hash')
  expect(unique, 'zset')
  if endLease(leased, attempts, id, attempt) then
    dropCancelled(jobs, attempts, expired, errors, unique, cancelled, { id }, { -tonumber(at) })
  end
  return true
end

-- A queue held back by its cap on running jobs (reserve.lua) has 'cap' set in its limits hash and no wake token, so
-- workers wait for it without asking; whatever ends one of its leases clears the mark and wakes one of them.
local function wakeIfCapped(limits, wake)
  if redis.call('HDEL', limits, 'cap') == 1 and redis.call('LLEN', wake) == 0 then
    redis.call('RPUSH', wake, '1')
  end
end

-- acks the jobs of one queue whose lease the caller holds: pairs is id, attempt, id, attempt, …; appends one
-- 1 (acked) or 0 (lease not held, or the id came twice: nothing changed) per pair to results, once all is done.
-- Every key it writes was read first (attempts, leased, unique) or fails its first write (jobs), except the counters
-- hash and the expiry and error hashes of jobs that ran before, which are checked: a wrong-typed key fails the call with nothing changed.
-- A job with a caller-chosen id and a uniqueness window has a negative entry in unique (minus the window, written
-- by enqueue.lua); acking it turns the entry into the end of the window (now + window), its done record. A queue
-- without such jobs has no unique key, so the check costs one EXISTS. A job whose cancel is pending is settled
-- cancelled instead (0: not acked); a queue where nothing was cancelled has no cancelled key, one EXISTS more. Ending
-- leases wakes a queue held by its cap (wakeIfCapped), one HDEL more. Counting the acked jobs in counters costs a TYPE
-- and an HINCRBY per call.
local function ackLeased(leased, jobs, attempts, expired, errors, unique, cancelled, limits, wake, counters, now, pairs, results)
  local ids, tokens = {}, {}
  for i = 1, #pairs, 2 do
    ids[#ids + 1] = pairs[i]
    tokens[#tokens + 1] = pairs[i + 1]
  end
  local over = runsOver(attempts, ids)
  local leases = batched('ZMSCORE', leased, ids, 1)
  local done, retried, seen, out = {}, {}, {}, {}
  for n, id in ipairs(ids) do
    if leases[n] and token(over[n]) == tokens[n] and not seen[id] then
      seen[id] = true
      done[#done + 1] = id
      if over[n] > 0 then
        retried[#retried + 1] = id
      end
      out[#out + 1] = 1
    else
      out[#out + 1] = 0
    end
  end
  local stopped, stoppedAt, kept = splitCancelled(cancelled, done)
  if #stopped > 0 then
    -- the results of the stopped ones turn to 0, in pair order
    local gone = {}
    for _, id in ipairs(stopped) do
      gone[id] = true
    end
    for n, id in ipairs(ids) do
      if out[n] == 1 and gone[id] then
        out[n] = 0
      end
    end
    done = kept
  end
  local marked = {}
  if #done > 0 and redis.call('EXISTS', unique) == 1 then
    local windows = batched('ZMSCORE', unique, done, 1)
    for n, id in ipairs(done) do
      local w = tonumber(windows[n])
      if w and w < 0 then
        marked[#marked + 1] = now - w
        marked[#marked + 1] = id
      end
    end
  end
  -- only a job that ran before has a count, an expiry count or a last error
  if #retried > 0 or #stopped > 0 then
    expect(expired, 'hash')
    expect(errors, 'hash')
  end
  if #stopped > 0 then
    expect(jobs, 'hash')
    expect(unique, 'zset')
  end
  if #done > 0 then
    expect(counters, 'hash')
  end
  if #done + #stopped > 0 then
    wakeIfCapped(limits, wake)
  end
  if #done > 0 then
    batched('HDEL', jobs, done, 1)
    batched('ZREM', leased, done, 1)
    dropIfNoLeases(leased)
    redis.call('HINCRBY', counters, 'completed', #done)
  end
  if #marked > 0 then
    batched('ZADD', unique, marked, 2)
  end
  if #stopped > 0 then
    batched('ZREM', leased, stopped, 1)
    dropIfNoLeases(leased)
    dropCancelled(jobs, attempts, expired, errors, unique, cancelled, stopped, stoppedAt)
  end
  if #retried > 0 then
    batched('HDEL', attempts, retried, 1)
    batched('HDEL', expired, retried, 1)
    batched('HDEL', errors, retried, 1)
  end
  for _, r in ipairs(out) do
    results[#results + 1] = r
  end
end

-- the text of an error caught by pcall: a Redis error reply, or a Lua error
local function failure(e)
  if type(e) == 'table' and e.err then
    return e.err
  end
  return tostring(e)
end

-- the text of a data error caught by pcall (a wrong-typed key: that queue alone is broken); any other error (a
-- command the ACL user may not run, out of memory) is not about one queue, so it is raised again and fails the
-- whole call as Redis reported it, to be seen as the refusal or outage it is
local function dataError(e)
  local text = failure(e)
  if string.find(text, 'WRONGTYPE', 1, true) or string.find(text, 'value is not', 1, true) then
    return text
  end
  error(e)
end

-- the first of keys holding another type than kinds says (the key a broken queue's error is about), or ''
local function wrongKey(keys, kinds)
  for i, key in ipairs(keys) do
    local t = redis.call('TYPE', key)['ok']
    if t ~= 'none' and t ~= kinds[i] then
      return key
    end
  end
  return ''
end
