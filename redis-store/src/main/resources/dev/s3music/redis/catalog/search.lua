-- KEYS: 1 ix:song, 2 ix:artist, 3 ix:album, 4 member, 5 songs
-- ARGV: 1 limit, 2 scan cap, 3.. query words. The walk of SearchWords, in one call.
-- Returns {artists: id, name, ...}, {albums: id, name, ...}, {songs: json, ...}
local limit, cap = tonumber(ARGV[1]), tonumber(ARGV[2])
local words = {}
for i = 3, #ARGV do words[#words + 1] = ' ' .. ARGV[i] end

-- SearchWords.pivot: the word with the fewest entries in ix (ZLEXCOUNT, O(log n), capped at cap + 1),
-- ties to the longest in bytes, then the first
local function pivot_of(ix)
  local best, best_n, best_len
  for i = 3, #ARGV do
    local w = ARGV[i]
    local n = math.min(redis.call('ZLEXCOUNT', ix, '[' .. w, '[' .. w .. string.char(255)), cap + 1)
    if best == nil or n < best_n or (n == best_n and #w > best_len) then
      best, best_n, best_len = w, n, #w
    end
  end
  return best
end

local function walk(ix)
  local ids, seen, scanned = {}, {}, 0
  local pivot = pivot_of(ix)
  local start, stop = '[' .. pivot, '[' .. pivot .. string.char(255)
  while #ids < limit and scanned < cap do
    local batch = redis.call('ZRANGEBYLEX', ix, start, stop, 'LIMIT', 0, math.min(200, cap - scanned))
    if #batch == 0 then break end
    for _, e in ipairs(batch) do
      if #ids >= limit or scanned >= cap then break end
      scanned = scanned + 1
      local a = string.find(e, '\1', 1, true)
      local b = string.find(e, '\1', a + 1, true)
      local joined = ' ' .. string.sub(e, a + 1, b - 1)
      local id = string.sub(e, b + 1)
      if not seen[id] then
        local ok = true
        for _, w in ipairs(words) do
          if not string.find(joined, w, 1, true) then ok = false; break end
        end
        if ok then seen[id] = true; ids[#ids + 1] = id end
      end
      start = '(' .. e
    end
  end
  return ids
end

local function named(ids)
  local out = {}
  for _, id in ipairs(ids) do
    out[#out + 1] = id
    out[#out + 1] = redis.call('HGET', KEYS[4], id)
  end
  return out
end

local songs = {}
for _, id in ipairs(walk(KEYS[1])) do songs[#songs + 1] = redis.call('HGET', KEYS[5], id) end
return { named(walk(KEYS[2])), named(walk(KEYS[3])), songs }
