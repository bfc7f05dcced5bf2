-- ARGV: 1 prefix, 2 limit, 3 scan cap, 4 pivot word, 5.. query words. The walk of SearchWords, in one call.
-- Returns {artists: id, name, ...}, {albums: id, name, ...}, {songs: json, ...}
local p, limit, cap, pivot = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local words = {}
for i = 5, #ARGV do words[#words + 1] = ' ' .. ARGV[i] end

local function walk(ix)
  local ids, seen, scanned = {}, {}, 0
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
    out[#out + 1] = redis.call('HGET', p .. 'member', id)
  end
  return out
end

local songs = {}
for _, id in ipairs(walk(p .. 'ix:song')) do songs[#songs + 1] = redis.call('HGET', p .. 'songs', id) end
return { named(walk(p .. 'ix:artist')), named(walk(p .. 'ix:album')), songs }
