--[[
  Write one scored batch's results exactly once (at-least-once delivery, exactly-once effect).
  KEYS[1] batch done marker   KEYS[2] batch sampled marker
  KEYS[3] anomalies stream    KEYS[4] sample stream
  KEYS[5] counts hash         KEYS[6] totals hash
  ARGV[1] marker TTL (s)      ARGV[2] anomalies MAXLEN ~    ARGV[3] sample MAXLEN ~
  ARGV[4] #anomalies          ARGV[5] #sample entries       ARGV[6] #counts pairs
  ARGV[7] #totals pairs       ARGV[8] done marker value
  ARGV[9..] anomaly JSONs, sample JSONs, counts (field, incr) pairs, totals (field, incr) pairs
  Output: 1 written, 0 the batch was already written (nothing done).
  The sample part is skipped when the batch was sampled before (cold start, see sample-3.lua).
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local nA, nS = tonumber(ARGV[4]), tonumber(ARGV[5])
local nC, nT = tonumber(ARGV[6]), tonumber(ARGV[7])
local i = 9
for _ = 1, nA do
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'v', ARGV[i])
  i = i + 1
end
if nS > 0 and redis.call('EXISTS', KEYS[2]) == 0 then
  for _ = 1, nS do
    redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[3], '*', 'r', ARGV[i])
    i = i + 1
  end
  redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
else
  i = i + nS
end
for _ = 1, nC do
  redis.call('HINCRBY', KEYS[5], ARGV[i], ARGV[i + 1])
  i = i + 2
end
for _ = 1, nT do
  redis.call('HINCRBY', KEYS[6], ARGV[i], ARGV[i + 1])
  i = i + 2
end
redis.call('SET', KEYS[1], ARGV[8], 'EX', ARGV[1])
return 1
