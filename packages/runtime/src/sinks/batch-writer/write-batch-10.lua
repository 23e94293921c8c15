--[[
  Write one scored batch's results exactly once (at-least-once delivery, exactly-once effect).
  KEYS[1] batch done marker   KEYS[2] batch sampled marker
  KEYS[3] anomalies stream    KEYS[4] sample stream
  KEYS[5] counts hash         KEYS[6] totals hash
  KEYS[7] alert outbox stream KEYS[8] alert dedup hash (key → "until|suppressed")
  KEYS[9] alert keys by last seen (zset)                KEYS[10] alert rate hash (minute, sent)
  ARGV[1] marker TTL (s)      ARGV[2] anomalies MAXLEN ~    ARGV[3] sample MAXLEN ~
  ARGV[4] #anomalies          ARGV[5] #sample entries       ARGV[6] #counts pairs
  ARGV[7] #totals pairs       ARGV[8] done marker value = scoredAt (epoch ms)
  ARGV[9] #alert keys (0 = alerts off, else = #anomalies)   ARGV[10] dedup window (ms)
  ARGV[11] max alerts per minute (0 = no cap)               ARGV[12] outbox MAXLEN ~
  ARGV[13] outbox header JSON                               ARGV[14] keep dedup state (ms)
  ARGV[15..] anomaly JSONs, sample JSONs, counts (field, incr) pairs, totals (field, incr)
             pairs, alert keys (one per anomaly, "signature|host")
  Output: 0 the batch was already written (nothing done); else {1, queued, dedup, rate}:
  alerts put in the outbox, and alerts suppressed by dedup and by the per-minute cap.
  The sample part is skipped when the batch was sampled before (cold start, see sample-3.lua).
  Alerts: an anomaly whose key is inside its dedup window, or past the minute's cap, is not
  sent; its key's suppressed count grows and is carried on the key's next alert.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local nA, nS = tonumber(ARGV[4]), tonumber(ARGV[5])
local nC, nT = tonumber(ARGV[6]), tonumber(ARGV[7])
local nK = tonumber(ARGV[9])
local first = 15
local i = first
local ids = {}
for j = 1, nA do
  ids[j] = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'v', ARGV[i])
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
local queued, sDedup, sRate = 0, 0, 0
if nK > 0 then
  local now = tonumber(ARGV[8])
  local window, cap, keep = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[14])
  local minute = math.floor(now / 60000)
  local rate = redis.call('HMGET', KEYS[10], 'minute', 'sent')
  local sent = 0
  if tonumber(rate[1]) == minute then sent = tonumber(rate[2]) or 0 end
  local docs, supp, sentIds = {}, {}, {}
  for j = 1, nK do
    local key = ARGV[i]
    i = i + 1
    local untilMs, count = 0, 0
    local st = redis.call('HGET', KEYS[8], key)
    if st then
      local sep = string.find(st, '|', 1, true)
      untilMs = tonumber(string.sub(st, 1, sep - 1)) or 0
      count = tonumber(string.sub(st, sep + 1)) or 0
    end
    if now < untilMs or (cap > 0 and sent >= cap) then
      if now < untilMs then sDedup = sDedup + 1 else sRate = sRate + 1 end
      redis.call('HSET', KEYS[8], key, string.format('%.0f|%d', untilMs, count + 1))
    else
      sent = sent + 1
      queued = queued + 1
      docs[queued] = ARGV[first + j - 1]
      supp[queued] = tostring(count)
      sentIds[queued] = ids[j]
      redis.call('HSET', KEYS[8], key, string.format('%.0f|0', now + window))
    end
    redis.call('ZADD', KEYS[9], now, key)
  end
  if queued > 0 then
    redis.call('XADD', KEYS[7], 'MAXLEN', '~', ARGV[12], '*', 'h', ARGV[13],
      'a', '[' .. table.concat(docs, ',') .. ']', 's', table.concat(supp, ','), 'i', table.concat(sentIds, ','))
    redis.call('HSET', KEYS[10], 'minute', minute, 'sent', sent)
  end
  redis.call('HINCRBY', KEYS[6], 'alerts_queued', queued)
  redis.call('HINCRBY', KEYS[6], 'alerts_suppressed_dedup', sDedup)
  redis.call('HINCRBY', KEYS[6], 'alerts_suppressed_rate', sRate)
  local old = redis.call('ZRANGEBYSCORE', KEYS[9], '-inf', now - keep, 'LIMIT', 0, 100)
  for _, key in ipairs(old) do
    redis.call('HDEL', KEYS[8], key)
    redis.call('ZREM', KEYS[9], key)
  end
end
redis.call('SET', KEYS[1], ARGV[8], 'EX', ARGV[1])
return {1, queued, sDedup, sRate}
