--[[
  Point `active` at a version, as one compare-and-set step, then announce it.
  The caller read the current state and computed the new metadata; any change since then
  makes this script answer 0 and the caller retries.
  KEYS[1] active pointer      KEYS[2] blob of the new version
  KEYS[3] meta of the new     KEYS[4] meta of the previously active version (or KEYS[3])
  ARGV[1] version             ARGV[2] expected active version ('' = none)
  ARGV[3] expected new meta   ARGV[4] new meta JSON
  ARGV[5] expected old meta   ARGV[6] old meta JSON ('' = leave alone)
  ARGV[7] pub/sub channel
  Output: 1 activated, 0 state changed meanwhile, -1 the blob is missing.
]]
if redis.call('EXISTS', KEYS[2]) == 0 then
  return -1
end
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[2] then
  return 0
end
if (redis.call('GET', KEYS[3]) or '') ~= ARGV[3] then
  return 0
end
if ARGV[6] ~= '' then
  if (redis.call('GET', KEYS[4]) or '') ~= ARGV[5] then
    return 0
  end
  redis.call('SET', KEYS[4], ARGV[6])
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[3], ARGV[4])
redis.call('PUBLISH', ARGV[7], ARGV[1])
return 1
