--[[
  Compare-and-set one metadata entry.
  KEYS[1] meta key
  ARGV[1] expected JSON       ARGV[2] new JSON
  Output: 1 written, 0 changed meanwhile.
]]
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
