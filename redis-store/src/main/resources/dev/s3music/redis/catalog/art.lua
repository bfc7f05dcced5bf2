-- KEYS: 1 seq, 2 keys, 3 art:{album id}
-- ARGV: 1 key, 2 mode, 3 sequencer, 4 since. Returns 1 new, 0 known, -1 refused.
local key = ARGV[1]
if not admit(KEYS[1], key, ARGV[2], ARGV[3], ARGV[4]) then return -1 end
redis.call('ZADD', KEYS[2], 0, key)
return redis.call('SADD', KEYS[3], key)
