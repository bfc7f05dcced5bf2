-- A year filter on another album order (CatalogLists): walks the order's members in a lexicographic range and
-- keeps those whose year (the last four characters) is within lo..hi; returns {total, members of the page...}.
-- KEYS: 1 the order's zset. ARGV: 1 min, 2 max (ZRANGEBYLEX bounds), 3 offset, 4 limit, 5 lo, 6 hi.
local offset, limit, lo, hi = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local out, total, start = {0}, 0, ARGV[1]
while true do
  local batch = redis.call('ZRANGEBYLEX', KEYS[1], start, ARGV[2], 'LIMIT', 0, 1000)
  for _, m in ipairs(batch) do
    local y = tonumber(string.sub(m, -4))
    if y and y >= lo and y <= hi then
      if total >= offset and #out - 1 < limit then out[#out + 1] = m end
      total = total + 1
    end
  end
  if #batch < 1000 then break end
  start = '(' .. batch[#batch]
end
out[1] = total
return out
