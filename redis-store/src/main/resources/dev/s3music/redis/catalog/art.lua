-- KEYS: 1 seq, 2 keys, 3 art:{album id}, 4 cover
-- ARGV: 1 key, 2 mode, 3 sequencer, 4 since, 5 album id. Returns 1 new, 0 known, -1 refused.
local key = ARGV[1]
if not admit(KEYS[1], key, ARGV[2], ARGV[3], ARGV[4]) then return -1 end
redis.call('ZADD', KEYS[2], 0, key)
local added = redis.call('SADD', KEYS[3], key)
if added == 1 then art_refresh(KEYS[3], KEYS[4], ARGV[5]) end
return added
