--[[
  Append a batch's events to the sample stream once, before it can be scored (cold start).
  KEYS[1] batch done marker   KEYS[2] batch sampled marker   KEYS[3] sample stream
  ARGV[1] marker TTL (s)      ARGV[2] sample MAXLEN ~        ARGV[3..] record JSONs
  Output: number of entries appended (0 when the batch was already sampled or written).
]]
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then
  return 0
end
for i = 3, #ARGV do
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'r', ARGV[i])
end
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return #ARGV - 2
