-- ARGV: 1 prefix, 2 key, 3 songId, 4 song json, 5 mode, 6 sequencer, 7 since, 8 artistId, 9 artist member,
-- 10 albumId, 11 album member, 12 song entries, 13 artist entries, 14 album entries (entries joined by \2)
-- Returns 1 when the catalog changed, 0 when it already held this song, -1 when the guard refused the write.
local p, key, id, json = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if not admit(p, key, ARGV[5], ARGV[6], ARGV[7]) then return -1 end
local old = redis.call('HGET', p .. 'songs', id)
if old == json then return 0 end
local artistId, albumId = ARGV[8], ARGV[10]
if old then
  zrem_all(p .. 'ix:song', split(redis.call('HGET', p .. 'ixe', id), '\2'))
else
  if redis.call('HSETNX', p .. 'member', artistId, ARGV[9]) == 1 then
    redis.call('ZADD', p .. 'artists', 0, ARGV[9])
    zadd_all(p .. 'ix:artist', split(ARGV[13], '\2'))
  end
  if redis.call('HSETNX', p .. 'member', albumId, ARGV[11]) == 1 then
    redis.call('ZADD', p .. 'albums:' .. artistId, 0, ARGV[11])
    zadd_all(p .. 'ix:album', split(ARGV[14], '\2'))
  end
  redis.call('SADD', p .. 'album:' .. albumId, id)
  redis.call('ZADD', p .. 'keys', 0, key)
end
redis.call('HSET', p .. 'songs', id, json)
redis.call('HSET', p .. 'ixe', id, ARGV[12])
zadd_all(p .. 'ix:song', split(ARGV[12], '\2'))
return 1
