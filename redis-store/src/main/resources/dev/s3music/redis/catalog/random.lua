-- Distinct members drawn at random from a lexicographic range of a zset (random albums and songs, CatalogLists).
-- KEYS: 1 the zset. ARGV: 1 min, 2 max (ZRANGEBYLEX bounds), 3 offset, 4 count, 5 seed (from the caller: a
-- script's own math.random is seeded alike on every call). Draws min(count, total - offset) members by rank (a
-- partial Fisher-Yates over the ranks, O(log n) each); returns {total, members...}.
local total = redis.call('ZLEXCOUNT', KEYS[1], ARGV[1], ARGV[2])
local n = math.max(0, math.min(tonumber(ARGV[4]), total - tonumber(ARGV[3])))
local out = {total}
if n == 0 then return out end
local first = 0
if ARGV[1] ~= '-' then
  -- rank of the range's first member: the members before the range's start
  local before = '(' .. string.sub(ARGV[1], 2)
  if string.sub(ARGV[1], 1, 1) == '(' then before = '[' .. string.sub(ARGV[1], 2) end
  first = redis.call('ZLEXCOUNT', KEYS[1], '-', before)
end
-- Park-Miller minimal standard generator: exact in Lua's doubles
local x = tonumber(ARGV[5]) % 2147483646 + 1
local function nextInt(bound)
  x = (x * 48271) % 2147483647
  return x % bound
end
local swapped = {}
for i = 0, n - 1 do
  local j = i + nextInt(total - i)
  local at = swapped[j] or j
  swapped[j] = swapped[i] or i
  local m = redis.call('ZRANGE', KEYS[1], first + at, first + at)
  out[#out + 1] = m[1]
end
return out
