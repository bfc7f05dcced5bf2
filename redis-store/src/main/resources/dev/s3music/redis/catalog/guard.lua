-- Shared by the write scripts (prepended to each). The guard of a write of one key: see Catalog.Guard.
-- seqKey: the 'seq' hash (always KEYS[1]); mode: 'e' event (sequencer), 'r' reconcile (since), 'n' none.
-- Every key a script touches comes in KEYS (cluster mode): no key name is built in Lua.
local function newer(a, b)
  -- S3 sequencers: pad the shorter with '0' on the right, compare as text (bytes, not the locale)
  local n = math.max(#a, #b)
  for i = 1, n do
    local ca = i <= #a and string.byte(a, i) or 48
    local cb = i <= #b and string.byte(b, i) or 48
    if ca ~= cb then return ca > cb end
  end
  return false
end

-- Sequencers.isWellFormed: 1 to 32 hex digits, nothing else
local function wellFormed(s)
  return #s >= 1 and #s <= 32 and not string.find(s, '[^0-9A-Fa-f]')
end

local function admit(seqKey, key, mode, seq, since)
  local st = redis.call('HGET', seqKey, key)
  local last, at = nil, nil
  if st then
    -- "sequencer|ms", split at the last '|' (the ms are digits). A stored sequencer that is not well formed (a
    -- forged event's, written before events were checked) counts as absent: the next genuine event replaces it.
    local s, ms = string.match(st, '^(.*)|(%d+)$')
    if s and wellFormed(s) then
      last, at = s, tonumber(ms)
    end
  end
  if mode == 'e' then
    if last and not newer(seq, last) then return false end
    local t = redis.call('TIME')
    redis.call('HSET', seqKey, key, seq .. '|' .. string.format('%d', t[1] * 1000 + math.floor(t[2] / 1000)))
    return true
  elseif mode == 'r' then
    return at == nil or at < tonumber(since)
  end
  return true
end

local function split(s, sep)
  local out = {}
  if s == nil or s == '' then return out end
  local start = 1
  while true do
    local i = string.find(s, sep, start, true)
    if not i then out[#out + 1] = string.sub(s, start); break end
    out[#out + 1] = string.sub(s, start, i - 1)
    start = i + 1
  end
  return out
end

local function zadd_all(key, entries)
  for _, e in ipairs(entries) do redis.call('ZADD', key, 0, e) end
end

local function zrem_all(key, entries)
  for _, e in ipairs(entries) do redis.call('ZREM', key, e) end
end
