-- ARGV: 1 prefix, 2 key, 3 mode, 4 sequencer, 5 since, 6 album id. Returns 1 new, 0 known, -1 refused.
local p, key = ARGV[1], ARGV[2]
if not admit(p, key, ARGV[3], ARGV[4], ARGV[5]) then return -1 end
redis.call('ZADD', p .. 'keys', 0, key)
return redis.call('SADD', p .. 'art:' .. ARGV[6], key)
