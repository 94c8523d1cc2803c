-- prelude.lua: helpers put in front of every script of this folder when it is loaded (LuaScript), so each
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
