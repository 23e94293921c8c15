--[[
  Delete a kept version unless it is the active one (retention).
  KEYS[1] active pointer      KEYS[2] blob      KEYS[3] meta      KEYS[4] models sorted set
  ARGV[1] version
  Output: 1 deleted, 0 kept because it is active.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[4], ARGV[1])
return 1
