-- One bounded step of tombstone pruning (Catalog.pruneTombstones).
-- KEYS: 1 seq, 2 keys. ARGV: 1 HSCAN cursor ('0' starts a walk), 2 COUNT hint, 3 before (epoch ms).
-- A 'seq' entry ("sequencer|ms") whose key is no longer held (not in 'keys') and whose ms is below 'before' is
-- deleted. Returns {next cursor ('0': walk done), pruned}. HSCAN may return an entry twice: HDEL is idempotent.
local r = redis.call('HSCAN', KEYS[1], ARGV[1], 'COUNT', tonumber(ARGV[2]))
local fields = r[2]
local before = tonumber(ARGV[3])
local pruned = 0
for i = 1, #fields, 2 do
  local key, st = fields[i], fields[i + 1]
  local ms = string.match(st, '|(%d+)$')
  local at = ms and tonumber(ms) or nil
  if at and at < before and not redis.call('ZSCORE', KEYS[2], key) then
    pruned = pruned + redis.call('HDEL', KEYS[1], key)
  end
end
return {r[1], pruned}
