--[[
  Store a new model version (never overwrites one).
  KEYS[1] model blob key      KEYS[2] model meta key      KEYS[3] models sorted set
  ARGV[1] version             ARGV[2] sequence number (sorted-set score)
  ARGV[3] blob                ARGV[4] meta JSON
  Output: 1 stored, 0 the version already exists.
]]
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
return 1
