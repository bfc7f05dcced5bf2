-- A year filter on another album order (CatalogLists): walks the order's members in a lexicographic range and
-- keeps those whose year (the last four characters) is within lo..hi, until the page is full; the total is the
-- year index's count of the same selection (O(log n)). Returns {total, members of the page...}.
-- KEYS: 1 the order's zset, 2 the year zset of the same selection (a:year or g:year).
-- ARGV: 1 min, 2 max (ZRANGEBYLEX bounds of the order), 3 offset, 4 limit, 5 lo, 6 hi, 7 min, 8 max (of the years).
local offset, limit, lo, hi = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local total = redis.call('ZLEXCOUNT', KEYS[2], ARGV[7], ARGV[8])
local out, matched, start = {total}, 0, ARGV[1]
while matched < math.min(total, offset + limit) do
  local batch = redis.call('ZRANGEBYLEX', KEYS[1], start, ARGV[2], 'LIMIT', 0, 500)
  for _, m in ipairs(batch) do
    local y = tonumber(string.sub(m, -4))
    if y and y >= lo and y <= hi then
      if matched >= offset and #out - 1 < limit then out[#out + 1] = m end
      matched = matched + 1
    end
  end
  if #batch < 500 then break end
  start = '(' .. batch[#batch]
end
return out
